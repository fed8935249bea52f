"""Registration: seats, the waiting list and its order, deadlines, cancelling, and the emails."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.exceptions import EventAlreadyStarted, RegistrationClosed, RegistrationDeadlinePassed
from events.factories import make_event
from events.models import Registration
from people.factories import make_person

pytestmark = pytest.mark.django_db

Status = Registration.Status


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def people():
    return [make_person() for _ in range(5)]


def statuses(event):
    return {r.user_id: r.status for r in Registration.objects.filter(event=event)}


def test_without_capacity_everybody_gets_a_seat(people):
    event = make_event()
    for person in people:
        assert services.register(event, person).status == Status.REGISTERED
    assert event.seats_left() is None
    assert event.seats_taken() == len(people)


def test_capacity_full_puts_people_on_the_waiting_list_in_order(people):
    event = make_event(capacity=2)
    results = [services.register(event, person) for person in people]
    assert [r.status for r in results] == [Status.REGISTERED] * 2 + [Status.WAITLISTED] * 3
    assert [r.waitlist_place() for r in results] == [None, None, 1, 2, 3]
    assert event.seats_left() == 0
    assert list(event.registrations.waitlisted().values_list("user", flat=True)) == [p.pk for p in people[2:]]


def test_registering_twice_returns_the_existing_registration(people):
    event = make_event(capacity=1)
    first = services.register(event, people[0])
    again = services.register(event, people[0])
    assert again.pk == first.pk and again.status == Status.REGISTERED
    waiting = services.register(event, people[1])
    assert services.register(event, people[1]).pk == waiting.pk
    assert Registration.objects.filter(event=event).count() == 2
    assert services.register(event, people[1]).position == waiting.position


def test_cancel_promotes_the_first_in_line_then_the_next(people):
    event = make_event(capacity=2)
    a, b, c, d, e = (services.register(event, person) for person in people)
    # The third in line leaving does not change the order of the others.
    services.cancel(e)
    services.cancel(a)
    assert statuses(event) == {
        people[0].pk: Status.CANCELLED,
        people[1].pk: Status.REGISTERED,
        people[2].pk: Status.REGISTERED,
        people[3].pk: Status.WAITLISTED,
        people[4].pk: Status.CANCELLED,
    }
    c.refresh_from_db()
    d.refresh_from_db()
    assert d.waitlist_place() == 1
    services.cancel(b)
    d.refresh_from_db()
    assert d.status == Status.REGISTERED
    assert event.seats_left() == 0


def test_cancelling_a_waitlisted_registration_promotes_nobody(people):
    event = make_event(capacity=1)
    services.register(event, people[0])
    waiting = services.register(event, people[1])
    services.register(event, people[2])
    services.cancel(waiting)
    assert statuses(event)[people[2].pk] == Status.WAITLISTED
    assert Registration.objects.get(event=event, user=people[2]).waitlist_place() == 1


def test_cancel_twice_is_harmless_and_cancelled_people_may_come_back_at_the_end(people):
    event = make_event(capacity=1)
    first = services.register(event, people[0])
    services.register(event, people[1])
    services.cancel(first)
    services.cancel(first)
    assert statuses(event) == {people[0].pk: Status.CANCELLED, people[1].pk: Status.REGISTERED}
    services.register(event, people[2])
    back = services.register(event, people[0])
    assert back.pk == first.pk
    assert back.status == Status.WAITLISTED
    assert back.waitlist_place() == 2


def test_a_larger_capacity_published_by_an_editor_moves_the_waiting_list_up(people):
    event = make_event(capacity=1)
    for person in people[:4]:
        services.register(event, person)
    event.capacity = 3
    event.save_revision().publish()
    assert [statuses(event)[p.pk] for p in people[:4]] == [Status.REGISTERED] * 3 + [Status.WAITLISTED]


def test_newcomers_do_not_jump_the_queue_when_seats_are_free(people):
    event = make_event(capacity=1)
    services.register(event, people[0])
    services.register(event, people[1])
    # Capacity raised without publishing (no signal): the next registration fills the queue first.
    type(event).objects.filter(pk=event.pk).update(capacity=2)
    event.refresh_from_db()
    newcomer = services.register(event, people[2])
    assert statuses(event)[people[1].pk] == Status.REGISTERED
    assert newcomer.status == Status.WAITLISTED


def test_refused_after_the_deadline(now, people):
    event = make_event(
        start=now + datetime.timedelta(days=2), registration_deadline=now + datetime.timedelta(days=1)
    )
    assert (
        services.register(event, people[0], now=now + datetime.timedelta(days=1)).status == Status.REGISTERED
    )
    with pytest.raises(RegistrationDeadlinePassed) as error:
        services.register(event, people[1], now=now + datetime.timedelta(days=1, seconds=1))
    assert "Срок регистрации" in str(error.value)
    assert not Registration.objects.filter(user=people[1]).exists()


def test_refused_once_the_event_has_started(now, people):
    event = make_event(start=now + datetime.timedelta(hours=1))
    with pytest.raises(EventAlreadyStarted) as error:
        services.register(event, people[0], now=event.start)
    assert "началось" in str(error.value)


def test_refused_when_registration_is_closed(people):
    event = make_event(registration_open=False)
    with pytest.raises(RegistrationClosed):
        services.register(event, people[0])


def test_cannot_cancel_after_the_start(people):
    event = make_event()
    registration = services.register(event, people[0])
    with pytest.raises(EventAlreadyStarted):
        services.cancel(registration, now=event.start + datetime.timedelta(minutes=1))
    registration.refresh_from_db()
    assert registration.status == Status.REGISTERED


def test_emails_on_registration_waiting_list_promotion_and_cancellation(django_capture_on_commit_callbacks):
    first = make_person(email="first@example.org", last_name="Первова", first_name="Анна")
    second = make_person(email="second@example.org", last_name="Вторых", first_name="Борис")
    event = make_event(capacity=1, title="Семинар «Конфликт интересов» & практика", venue="г. Калуга")

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(event, first)
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event, second)
    assert [m.to for m in mail.outbox] == [["first@example.org"], ["second@example.org"]]
    assert (
        mail.outbox[0].subject
        == "Вы зарегистрированы на мероприятие «Семинар «Конфликт интересов» & практика»"
    )
    assert "Здравствуйте, Первова Анна!" in mail.outbox[0].body
    assert "г. Калуга" in mail.outbox[0].body
    assert "& практика" in mail.outbox[0].body  # plain text, not HTML-escaped
    assert f"/events/{event.pk}/event.ics" in mail.outbox[0].body
    assert "лист" in mail.outbox[1].subject.lower() and "номер в очереди — 1" in mail.outbox[1].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration)
    assert sorted((m.to[0], m.subject.split(" ")[0]) for m in mail.outbox) == [
        ("first@example.org", "Регистрация"),
        ("second@example.org", "Для"),
    ]
    assert "отменена" in next(m for m in mail.outbox if m.to == ["first@example.org"]).subject


def test_email_waits_for_the_commit(django_capture_on_commit_callbacks):
    event = make_event()
    person = make_person()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.register(event, person)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_people_without_email_are_registered_without_mail(django_capture_on_commit_callbacks):
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(event, make_person(email=""))
    assert registration.status == Status.REGISTERED
    assert mail.outbox == []


def test_the_cabinet_notices_show_each_registration_as_it_stands(client):
    from django.urls import reverse

    event = make_event(capacity=1, title="Семинар «Конфликт интересов»")
    first, second = make_person(), make_person()
    registration = services.register(event, first)
    services.register(event, second)
    client.force_login(second)
    page = client.get(reverse("cabinet")).content.decode()
    assert "Вы в листе ожидания мероприятия «Семинар «Конфликт интересов»»" in page

    services.cancel(registration)  # the first cancels, the second moves up
    page = client.get(reverse("cabinet")).content.decode()
    notices = page[page.index("Уведомления") :]
    assert "Вы зарегистрированы на мероприятие «Семинар «Конфликт интересов»»" in notices
    assert "листе ожидания" not in notices and f'href="{event.url}"' in notices
    client.force_login(first)
    assert "отменена" in client.get(reverse("cabinet")).content.decode()
