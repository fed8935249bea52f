"""Feedback after an event (issue 18): only after the end, only from participants, one per person
(changeable while the form is open), Russian 4xx for bad input, results without names within the
viewer's scope, the cabinet's link, and its personal data."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from events import feedback
from events.audience_privacy import FEEDBACK_COMMENTS, clear_comments_of, my_audience_data
from events.exceptions import FeedbackClosed, FeedbackNotForYou, FeedbackNotOpenYet
from events.factories import make_event, make_organizer, make_writing_trainer
from events.models import Attendance, BroadcastRoom, EventFeedback, EventPage, Registration
from people.factories import make_municipal_manager, make_municipality, make_organization, make_person
from people.scope import Scope

pytestmark = pytest.mark.django_db

GOOD = {"usefulness": "5", "clarity": "4", "organization": "3", "comment": "Полезно, побольше практики."}


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def ended_event(**fields):
    return make_event(start=timezone.now() - datetime.timedelta(hours=3), **fields)


@pytest.fixture
def town():
    return make_municipality("Город Обнинск")


@pytest.fixture
def attendee(town):
    return make_person(make_organization(town), last_name="Участникова", first_name="Анна")


def checked_in(event, person):
    Attendance.objects.create(event=event, user=person, checked_in_at=event.start)
    return person


def test_feedback_opens_only_after_the_end(attendee):
    event = make_event(start=timezone.now() - datetime.timedelta(minutes=30))  # going on now
    checked_in(event, attendee)
    with pytest.raises(FeedbackNotOpenYet):
        feedback.save_feedback(event, attendee, {"usefulness": 5, "clarity": 5, "organization": 5})
    response = client_of(attendee).post(f"/events/{event.pk}/feedback/", GOOD)
    assert response.status_code == 403
    assert "после окончания мероприятия" in response.content.decode()
    assert not EventFeedback.objects.exists()


def test_only_participants_give_feedback(attendee, town):
    event = ended_event()
    checked_in(event, attendee)
    registered_only = make_person(make_organization(town))
    Registration.objects.create(event=event, user=registered_only)
    for person in (registered_only, make_person()):
        with pytest.raises(FeedbackNotForYou):
            feedback.check_may_give(event, person)
        response = client_of(person).post(f"/events/{event.pk}/feedback/", GOOD)
        assert response.status_code == 403
        assert "Отзыв оставляют участники мероприятия" in response.content.decode()
    assert not EventFeedback.objects.exists()
    named = make_person(make_organization(town))
    room = BroadcastRoom.objects.create(event=event, municipality=town, head_count=5)
    room.participants.add(named)
    assert feedback.may_give(event, named) and feedback.may_give(event, attendee)


def test_without_any_check_in_the_registered_give_feedback(attendee):
    event = ended_event()
    Registration.objects.create(event=event, user=attendee)
    waiting = make_person()
    Registration.objects.create(event=event, user=waiting, status=Registration.Status.WAITLISTED, position=1)
    assert feedback.may_give(event, attendee)
    assert not feedback.may_give(event, waiting)


def test_a_participant_leaves_feedback_and_changes_it(attendee):
    event = ended_event()
    checked_in(event, attendee)
    client = client_of(attendee)
    page = client.get(event.url).content.decode()
    assert f"/events/{event.pk}/feedback/" in page and "Оставить отзыв о мероприятии" in page
    form = client.get(f"/events/{event.pk}/feedback/")
    assert form.status_code == 200 and "Полезность" in form.content.decode()
    response = client.post(f"/events/{event.pk}/feedback/", GOOD, follow=True)
    assert "Спасибо! Ваш отзыв о мероприятии сохранён." in response.content.decode()
    saved = EventFeedback.objects.get()
    assert (saved.usefulness, saved.clarity, saved.organization) == (5, 4, 3)
    client.post(f"/events/{event.pk}/feedback/", {**GOOD, "usefulness": "2", "comment": ""})
    saved = EventFeedback.objects.get()
    assert (saved.usefulness, saved.comment) == (2, "")
    assert "Изменить отзыв о мероприятии" in client.get(event.url).content.decode()


def test_one_feedback_per_person_and_event_in_the_database(attendee):
    event = ended_event()
    EventFeedback.objects.create(event=event, user=attendee, usefulness=5, clarity=5, organization=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFeedback.objects.create(event=event, user=attendee, usefulness=1, clarity=1, organization=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFeedback.objects.create(event=event, user=make_person(), usefulness=6, clarity=1, organization=1)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"usefulness": "7"}, "Оценка — число от 1 до 5."),
        ({"clarity": ""}, "Поставьте оценку от 1 до 5."),
        ({"organization": "пять"}, "Оценка — число от 1 до 5."),
        ({"comment": "а" * 2001}, "Комментарий длиннее 2000 символов"),
    ],
)
def test_bad_input_is_a_400_with_russian_messages(attendee, change, message):
    event = ended_event()
    checked_in(event, attendee)
    response = client_of(attendee).post(f"/events/{event.pk}/feedback/", {**GOOD, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EventFeedback.objects.exists()


def test_the_form_closes_after_its_days(attendee):
    event = ended_event()
    checked_in(event, attendee)
    later = event.end + datetime.timedelta(days=feedback.FEEDBACK_DAYS, minutes=1)
    with pytest.raises(FeedbackClosed):
        feedback.check_may_give(event, attendee, later)
    assert feedback.may_give(event, attendee, later - datetime.timedelta(minutes=2))


def give(event, person, usefulness, clarity, organization, comment=""):
    checked_in(event, person)
    return feedback.save_feedback(
        event,
        person,
        {"usefulness": usefulness, "clarity": clarity, "organization": organization, "comment": comment},
    )


def test_results_without_names_within_the_scope(attendee, town):
    event = ended_event(format=EventPage.Format.HYBRID)
    give(event, attendee, 5, 4, 5, "Очень понятно про декларации.")
    other_town = make_municipality("Город Калуга")
    give(event, make_person(make_organization(other_town), last_name="Калужанин"), 3, 4, 1, "Мало времени.")
    everything = feedback.results(event, Scope(make_organizer(), everything=True))
    assert everything["count"] == 2
    usefulness = everything["ratings"][0]
    assert usefulness["name"] == "usefulness" and usefulness["average"] == 4
    assert [mark["count"] for mark in usefulness["distribution"]] == [1, 0, 1, 0, 0]  # marks 5…1
    assert set(everything["comments"]) == {"Очень понятно про декларации.", "Мало времени."}

    page = client_of(make_organizer()).get(f"/events/{event.pk}/feedback/results/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Отзывов: 2" in text and "Мало времени." in text
    assert "Участникова" not in text and "Калужанин" not in text

    manager_page = client_of(make_municipal_manager(town)).get(f"/events/{event.pk}/feedback/results/")
    text = manager_page.content.decode()
    assert "Отзывов: 1" in text and "Очень понятно про декларации." in text and "Мало времени." not in text
    for outsider in (attendee, make_writing_trainer()):
        assert client_of(outsider).get(f"/events/{event.pk}/feedback/results/").status_code == 404


def test_the_cabinet_links_to_the_feedback_form(attendee):
    event = ended_event(title="Семинар для кадровых служб")
    checked_in(event, attendee)
    cabinet = client_of(attendee).get("/cabinet/").content.decode()
    assert "Отзывы о мероприятиях" in cabinet and f"/events/{event.pk}/feedback/" in cabinet
    assert "Семинар для кадровых служб" in cabinet
    old = ended_event(title="Давний семинар")
    EventPage.objects.filter(pk=old.pk).update(
        start=timezone.now() - datetime.timedelta(days=60), end=timezone.now() - datetime.timedelta(days=59)
    )
    checked_in(old, attendee)
    assert "Давний семинар" not in client_of(attendee).get("/cabinet/").content.decode()


def test_comments_are_personal_data(attendee):
    event = ended_event()
    give(event, attendee, 4, 4, 4, "Мой комментарий")
    sheets = {sheet.title: sheet for sheet in my_audience_data(attendee)}
    assert sheets["Отзывы о мероприятиях"].rows[0][4] == "Мой комментарий"
    assert not sheets["Отзывы о мероприятиях"].in_training_record
    clear_comments_of([attendee.pk])
    assert EventFeedback.objects.get().comment == "" and EventFeedback.objects.get().usefulness == 4

    EventFeedback.objects.update(
        comment="Снова", updated_at=timezone.now() - datetime.timedelta(days=4 * 365)
    )
    cutoff = FEEDBACK_COMMENTS.cutoff(timezone.now())
    assert FEEDBACK_COMMENTS.count(cutoff) == 1
    FEEDBACK_COMMENTS.apply(cutoff, timezone.now())
    assert EventFeedback.objects.get().comment == "" and FEEDBACK_COMMENTS.count(cutoff) == 0
