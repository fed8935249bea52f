"""The site side: register and cancel buttons, check-in, the stream page, attendance and room reports."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from events import services
from events.factories import make_event, make_organizer, make_writing_trainer
from events.models import Attendance, BroadcastRoom, EventPage, Registration
from people.factories import make_municipal_manager, make_municipality, make_person, make_regional_manager
from people.models import Municipality

pytestmark = pytest.mark.django_db

Status = Registration.Status


@pytest.fixture
def person(client):
    user = make_person()
    client.force_login(user)
    return user


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_anonymous_visitor_must_log_in_to_register(client):
    event = make_event()
    response = client.post(f"/events/{event.pk}/register/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert not Registration.objects.exists()
    page = client.get(event.url).content.decode()
    assert f"/login/?next={event.url}" in page


def test_register_and_cancel_buttons(client, person):
    event = make_event(capacity=3)
    page = client.get(event.url).content.decode()
    assert f'action="/events/{event.pk}/register/"' in page
    assert "csrfmiddlewaretoken" in page

    response = client.post(f"/events/{event.pk}/register/", follow=True)
    assert response.redirect_chain[-1][0] == event.url
    assert "Вы зарегистрированы" in messages_of(response)[0]
    assert Registration.objects.get(event=event, user=person).status == Status.REGISTERED
    page = response.content.decode()
    assert f'action="/events/{event.pk}/cancel/"' in page
    assert "3, свободно 2" in page

    response = client.post(f"/events/{event.pk}/cancel/", follow=True)
    assert messages_of(response) == ["Регистрация отменена."]
    assert Registration.objects.get(event=event, user=person).status == Status.CANCELLED
    assert "3, свободно 3" in response.content.decode()


def test_waiting_list_message_shows_the_place(client, person):
    event = make_event(capacity=1)
    services.register(event, make_person())
    response = client.post(f"/events/{event.pk}/register/", follow=True)
    assert messages_of(response) == ["Все места заняты: вы в листе ожидания, ваш номер в очереди — 1."]
    assert "ваш номер в очереди — 1" in response.content.decode()


def test_post_without_csrf_token_is_refused(person):
    event = make_event()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(person)
    assert strict.post(f"/events/{event.pk}/register/").status_code == 403
    assert not Registration.objects.exists()


def test_get_on_register_only_returns_to_the_event(client, person):
    event = make_event()
    response = client.get(f"/events/{event.pk}/register/")
    assert response.status_code == 302 and response["Location"] == event.url
    assert not Registration.objects.exists()


def test_refusal_is_shown_as_a_message(client, person):
    now = timezone.now()
    event = make_event(
        start=now + datetime.timedelta(days=2), registration_deadline=now - datetime.timedelta(hours=1)
    )
    response = client.post(f"/events/{event.pk}/register/", follow=True)
    assert messages_of(response) == ["Срок регистрации на мероприятие истёк."]
    assert not Registration.objects.exists()


def test_draft_and_unknown_events_are_not_found(client, person):
    event = make_event()
    event.unpublish()
    for url in (
        f"/events/{event.pk}/register/",
        f"/events/{event.pk}/check-in/",
        "/events/999999/register/",
    ):
        assert client.post(url).status_code == 404
    assert not Registration.objects.exists()


def test_cancel_without_registration_is_not_found(client, person):
    event = make_event()
    assert client.post(f"/events/{event.pk}/cancel/").status_code == 404


def test_check_in_form_appears_in_the_window_and_marks_presence(client, person):
    event = make_event(start=timezone.now() + datetime.timedelta(minutes=20))
    page = client.get(event.url).content.decode()
    assert f'action="/events/{event.pk}/check-in/"' in page

    response = client.post(f"/events/{event.pk}/check-in/", {"code": "WRONG1"}, follow=True)
    assert "Неверный код" in messages_of(response)[0]
    assert not Attendance.objects.exists()

    response = client.post(
        f"/events/{event.pk}/check-in/", {"code": event.check_in_code.lower()}, follow=True
    )
    assert messages_of(response) == ["Вы отмечены как присутствующий на мероприятии."]
    assert Attendance.objects.filter(event=event, user=person).exists()
    assert "Вы отмечены как присутствующий" in response.content.decode()


def test_check_in_form_is_hidden_before_the_window(client, person):
    event = make_event(start=timezone.now() + datetime.timedelta(hours=2))
    assert f'action="/events/{event.pk}/check-in/"' not in client.get(event.url).content.decode()
    response = client.post(f"/events/{event.pk}/check-in/", {"code": event.check_in_code}, follow=True)
    assert "30 минут" in messages_of(response)[0]


def test_stream_page_is_for_registered_participants(client, person):
    event = make_event(
        format=EventPage.Format.ONLINE,
        start=timezone.now() + datetime.timedelta(minutes=10),
        broadcast_url="https://vks.example/room-42",
    )
    response = client.get(f"/events/{event.pk}/stream/")
    assert response.status_code == 302 and response["Location"] == event.url
    assert "room-42" not in client.get(event.url).content.decode()

    services.register(event, person)
    response = client.get(f"/events/{event.pk}/stream/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="https://vks.example/room-42"' in body
    assert "<iframe" not in body
    assert event.check_in_code in body

    response = client.post(
        f"/events/{event.pk}/check-in/",
        {"code": event.check_in_code, "next": f"/events/{event.pk}/stream/"},
    )
    assert response["Location"] == f"/events/{event.pk}/stream/"
    assert Attendance.objects.filter(event=event, user=person).exists()


def test_check_in_ignores_a_next_url_on_another_site(client, person):
    event = make_event(start=timezone.now())
    response = client.post(
        f"/events/{event.pk}/check-in/", {"code": event.check_in_code, "next": "https://evil.example/"}
    )
    assert response["Location"] == event.url


def test_stream_page_hides_the_code_outside_the_window(client, person):
    event = make_event(format=EventPage.Format.HYBRID, start=timezone.now() + datetime.timedelta(days=1))
    services.register(event, person)
    body = client.get(f"/events/{event.pk}/stream/").content.decode()
    assert event.check_in_code not in body


def test_no_stream_page_for_in_person_events(client, person):
    event = make_event(format=EventPage.Format.IN_PERSON)
    services.register(event, person)
    assert client.get(f"/events/{event.pk}/stream/").status_code == 404


def test_organizers_see_the_code_and_the_attendance_page(client):
    event = make_event()
    client.force_login(make_organizer())
    assert event.check_in_code in client.get(event.url).content.decode()
    response = client.get(f"/events/{event.pk}/attendance/")
    assert response.status_code == 200
    assert event.check_in_code in response.content.decode()


def test_trainers_who_write_event_pages_see_no_code_and_no_people(client):
    event = make_event()
    trainer = make_writing_trainer()
    assert event.permissions_for_user(trainer).can_edit()
    client.force_login(trainer)
    assert event.check_in_code not in client.get(event.url).content.decode()
    assert client.get(f"/events/{event.pk}/attendance/").status_code == 404
    assert client.post(f"/events/{event.pk}/attendance.xlsx").status_code == 404


@pytest.fixture
def region():
    kaluga = make_municipality("Городской округ «Город Калуга»", kind=Municipality.Kind.URBAN_OKRUG)
    obninsk = make_municipality("Городской округ «Город Обнинск»", kind=Municipality.Kind.URBAN_OKRUG)
    return {"kaluga": kaluga, "obninsk": obninsk}


def test_servants_do_not_see_attendance_or_the_code(client, person):
    event = make_event()
    assert event.check_in_code not in client.get(event.url).content.decode()
    assert client.get(f"/events/{event.pk}/attendance/").status_code == 404


def test_municipal_manager_sees_only_their_municipality(client, region):
    event = make_event(format=EventPage.Format.HYBRID, start=timezone.now())
    kaluga_person = make_person(municipality=region["kaluga"], last_name="Калужская")
    obninsk_person = make_person(municipality=region["obninsk"], last_name="Обнинская")
    for someone in (kaluga_person, obninsk_person):
        services.check_in(event, someone, event.check_in_code)
    Registration.objects.create(event=event, user=obninsk_person)
    Registration.objects.create(event=event, user=kaluga_person)
    client.force_login(make_municipal_manager(region["kaluga"]))
    response = client.get(f"/events/{event.pk}/attendance/")
    assert response.status_code == 200
    assert [row.name for row in response.context["summary"]["rows"]] == [region["kaluga"].name]
    assert [r.user for r in response.context["registrations"]] == [kaluga_person]
    body = response.content.decode()
    assert "Обнинская" not in body
    assert event.check_in_code not in body


def test_room_report_of_another_municipality_is_not_found(client, region):
    event = make_event(format=EventPage.Format.HYBRID)
    client.force_login(make_municipal_manager(region["kaluga"]))
    assert client.get(f"/events/{event.pk}/rooms/{region['obninsk'].pk}/").status_code == 404
    assert (
        client.post(f"/events/{event.pk}/rooms/{region['obninsk'].pk}/", {"head_count": 5}).status_code == 404
    )
    assert client.get(f"/events/{event.pk}/rooms/", {"municipality": region["obninsk"].pk}).status_code == 404
    assert not BroadcastRoom.objects.exists()


def test_servants_cannot_report_rooms(client, region, person):
    event = make_event(format=EventPage.Format.HYBRID)
    assert client.get(f"/events/{event.pk}/rooms/{region['kaluga'].pk}/").status_code == 404


def test_manager_reports_a_room_and_a_second_report_replaces_it(client, region):
    event = make_event(format=EventPage.Format.HYBRID)
    manager = make_municipal_manager(region["kaluga"])
    colleague = make_person(municipality=region["kaluga"])
    outsider = make_person(municipality=region["obninsk"])
    client.force_login(manager)
    url = f"/events/{event.pk}/rooms/{region['kaluga'].pk}/"

    assert client.get(f"/events/{event.pk}/rooms/", {"municipality": region["kaluga"].pk})["Location"] == url
    form = client.get(url).context["form"]
    assert set(form.fields["participants"].queryset) == {manager, colleague}

    response = client.post(url, {"room": "Зал заседаний", "head_count": 14, "participants": [outsider.pk]})
    assert response.status_code == 200
    assert "participants" in response.context["form"].errors
    assert not BroadcastRoom.objects.exists()

    response = client.post(url, {"room": "Зал заседаний", "head_count": -1})
    assert "head_count" in response.context["form"].errors

    response = client.post(url, {"room": "Зал заседаний", "head_count": 14, "participants": [colleague.pk]})
    assert response["Location"] == f"/events/{event.pk}/attendance/"
    response = client.post(url, {"room": "Малый зал", "head_count": 9})
    room = BroadcastRoom.objects.get(event=event, municipality=region["kaluga"])
    assert (room.room, room.head_count, room.coordinator) == ("Малый зал", 9, manager)
    assert not room.participants.exists()


def test_regional_manager_may_report_for_any_municipality(client, region):
    event = make_event(format=EventPage.Format.ONLINE)
    client.force_login(make_regional_manager())
    response = client.post(f"/events/{event.pk}/rooms/{region['obninsk'].pk}/", {"head_count": 30})
    assert response.status_code == 302
    assert BroadcastRoom.objects.get(municipality=region["obninsk"]).head_count == 30
    page = client.get(f"/events/{event.pk}/attendance/")
    assert page.context["summary"]["total"] == 30


def test_no_room_reports_for_in_person_events(client, region):
    event = make_event(format=EventPage.Format.IN_PERSON)
    client.force_login(make_regional_manager())
    assert client.get(f"/events/{event.pk}/rooms/{region['kaluga'].pk}/").status_code == 404


def test_cabinet_lists_my_upcoming_events(client, person):
    event = make_event(title="Семинар для кадровых служб")
    past = make_event(start=timezone.now() - datetime.timedelta(days=3), title="Прошедший семинар")
    services.register(event, person)
    Registration.objects.create(event=past, user=person)
    body = client.get("/cabinet/").content.decode()
    assert "Мои мероприятия" in body
    assert "Семинар для кадровых служб" in body
    # A past event is no longer among «Мои мероприятия»; it shows only in «Отзывы о мероприятиях» (the
    # registered give feedback on an event without check-ins, issue 18).
    my_events = body.split("Мои мероприятия")[1].split("Отзывы о мероприятиях")[0]
    assert "Прошедший семинар" not in my_events
