"""An event's audience (issue 18): limited or open registration, expected participants, invitations by
mail and notice (once per person), the page history, and attendance against expected per municipality
within the viewer's scope."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from wagtail.models import PageLogEntry

from events import invitations, services
from events.exceptions import InvitationsTooLate, NoAudience, NotInAudience
from events.factories import make_event, make_organizer, make_writing_trainer
from events.models import Attendance, BroadcastRoom, EventInvitation, EventPage, Registration
from events.targeting import audience_attendance
from people.audience import Audience
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.mail.models import OutgoingMail
from people.models import User
from people.notices import notices_of
from people.scope import Scope
from reports.dashboard.targeted import targeted_events
from reports.period import Period

pytestmark = pytest.mark.django_db

Mode = EventPage.RegistrationMode


@pytest.fixture
def region():
    obninsk = make_municipality("Город Обнинск")
    kaluga = make_municipality("Город Калуга")
    audience = Audience.objects.create(title="Кадровые службы", hr_only=True)
    return {
        "obninsk": obninsk,
        "kaluga": kaluga,
        "audience": audience,
        "hr_obninsk": make_person(make_organization(obninsk), is_hr_service=True, last_name="Кадрова"),
        "hr_kaluga": make_person(make_organization(kaluga), is_hr_service=True, last_name="Калужская"),
        "outsider": make_person(make_organization(obninsk), last_name="Посторонний"),
    }


def limited_event(region, **fields):
    return make_event(audience=region["audience"], registration_mode=Mode.AUDIENCE, **fields)


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


# --- registration ---------------------------------------------------------------------------------


def test_limited_registration_refuses_people_outside_the_audience(region):
    event = limited_event(region)
    with pytest.raises(NotInAudience) as refused:
        services.register(event, region["outsider"])
    assert "только для его аудитории" in refused.value.message
    assert not Registration.objects.exists()
    assert services.register(event, region["hr_obninsk"]).status == Registration.Status.REGISTERED


def test_limited_registration_over_http_is_403_with_a_russian_message(region):
    event = limited_event(region)
    response = client_of(region["outsider"]).post(f"/events/{event.pk}/register/")
    assert response.status_code == 403
    assert "только для его аудитории" in response.content.decode()
    assert not Registration.objects.exists()
    member = client_of(region["hr_kaluga"]).post(f"/events/{event.pk}/register/")
    assert member.status_code == 302
    assert Registration.objects.get().user == region["hr_kaluga"]


def test_the_page_tells_an_outsider_and_shows_no_register_button(region):
    event = limited_event(region)
    page = client_of(region["outsider"]).get(event.url).content.decode()
    assert 'id="registration-limited"' in page
    assert f"/events/{event.pk}/register/" not in page
    member_page = client_of(region["hr_obninsk"]).get(event.url).content.decode()
    assert f"/events/{event.pk}/register/" in member_page
    assert 'id="registration-limited"' not in member_page


def test_open_registration_is_unaffected_by_the_audience(region):
    event = make_event(audience=region["audience"], registration_mode=Mode.OPEN)
    assert services.register(event, region["outsider"]).status == Registration.Status.REGISTERED
    response = client_of(region["hr_obninsk"]).post(f"/events/{event.pk}/register/")
    assert response.status_code == 302
    assert Registration.objects.filter(event=event).count() == 2


def test_limited_mode_needs_an_audience(region):
    event = make_event()
    event.registration_mode = Mode.AUDIENCE
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "registration_mode" in error.value.message_dict
    assert event.admits(region["outsider"])  # nothing limits without an audience


def test_expected_participants_are_the_active_members(region):
    event = limited_event(region)
    leaver = make_person(make_organization(region["obninsk"]), is_hr_service=True, is_active=False)
    expected = set(event.expected_participants())
    assert expected == {region["hr_obninsk"], region["hr_kaluga"]}
    assert leaver not in expected
    assert not make_event().expected_participants().exists()


# --- invitations ----------------------------------------------------------------------------------


def test_invitations_go_by_mail_and_notice_once_per_person(
    region, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://antikor.example"
    no_email = make_person(make_organization(region["kaluga"]), is_hr_service=True, email="")
    event = limited_event(region, title="Семинар для кадровых служб")
    organizer = make_organizer()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.send_invitations(event, organizer) == 3
    rows = {row.user_id: row for row in EventInvitation.objects.filter(event=event)}
    assert set(rows) == {region["hr_obninsk"].pk, region["hr_kaluga"].pk, no_email.pk}
    assert rows[no_email.pk].status == EventInvitation.Status.NO_EMAIL
    assert rows[region["hr_obninsk"].pk].status == EventInvitation.Status.SENT
    letters = {message.to[0]: message for message in mail.outbox}
    assert set(letters) == {region["hr_obninsk"].email, region["hr_kaluga"].email}
    letter = letters[region["hr_obninsk"].email]
    assert letter.subject == "Приглашение на мероприятие «Семинар для кадровых служб»"
    assert "https://antikor.example" in letter.body
    for person in (region["hr_obninsk"], no_email):
        [notice] = [n for n in notices_of(person) if "Приглашаем вас" in n.text]
        assert "Семинар для кадровых служб" in notice.text and notice.url == event.url
    assert not [n for n in notices_of(region["outsider"]) if "Приглашаем" in n.text]

    # Again: nobody twice; a new member later gets theirs alone.
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.send_invitations(event, organizer) == 0
    assert len(mail.outbox) == 2
    newcomer = make_person(make_organization(region["obninsk"]), is_hr_service=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.send_invitations(event, make_regional_manager()) == 1
    assert EventInvitation.objects.filter(event=event, user=newcomer).count() == 1
    assert len(mail.outbox) == 3


def test_invitations_are_written_to_the_page_history(region):
    event = limited_event(region)
    organizer = make_organizer()
    invitations.send_invitations(event, organizer)
    invitations.send_invitations(event, organizer)  # nothing new: no entry
    [entry] = PageLogEntry.objects.filter(page=event, action=invitations.SENT_ACTION)
    assert entry.user == organizer
    assert entry.data["count"] == 2
    assert "Приглашения разосланы, получателей: 2 (" in entry.message


def test_only_organizers_invite_and_only_before_the_start(region):
    event = limited_event(region)
    for person in (region["hr_obninsk"], make_writing_trainer(), make_municipal_manager(region["obninsk"])):
        with pytest.raises(PermissionDenied):
            invitations.send_invitations(event, person)
        assert client_of(person).post(f"/events/{event.pk}/invitations/").status_code == 404
    assert not EventInvitation.objects.exists()
    with pytest.raises(NoAudience):
        invitations.send_invitations(make_event(), make_organizer())
    started = limited_event(region, start=timezone.now() - datetime.timedelta(minutes=5))
    with pytest.raises(InvitationsTooLate):
        invitations.send_invitations(started, make_organizer())


def test_the_invitations_page_sends_and_counts(region):
    event = limited_event(region)
    client = client_of(make_organizer())
    page = client.get(f"/events/{event.pk}/invitations/")
    assert page.status_code == 200
    assert "Разослать приглашения (получателей: 2)" in page.content.decode()
    response = client.post(f"/events/{event.pk}/invitations/", follow=True)
    assert "Приглашения разосланы, получателей: 2." in response.content.decode()
    assert EventInvitation.objects.filter(event=event).count() == 2
    again = client.post(f"/events/{event.pk}/invitations/", follow=True).content.decode()
    assert "все ожидаемые участники уже приглашены" in again
    assert EventInvitation.objects.filter(event=event).count() == 2


def test_the_cabinet_offers_registration_from_the_invitation(region):
    event = limited_event(region, title="Семинар для кадровых служб")
    invitations.send_invitations(event, make_organizer())
    client = client_of(region["hr_kaluga"])
    cabinet = client.get("/cabinet/").content.decode()
    assert "Приглашения на мероприятия" in cabinet
    assert f"/events/{event.pk}/register/" in cabinet
    client.post(f"/events/{event.pk}/register/")
    assert Registration.objects.filter(event=event, user=region["hr_kaluga"]).exists()
    assert f"/events/{event.pk}/register/" not in client.get("/cabinet/").content.decode()


def invited_with_failures(region, django_capture_on_commit_callbacks):
    """An event whose invitation to hr_kaluga could not be queued (a broken address) and whose letter
    to hr_obninsk the outbox gave up."""
    User.objects.filter(pk=region["hr_kaluga"].pk).update(email="not-an-address")
    event = limited_event(region, title="Семинар для кадровых служб")
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.send_invitations(event, make_organizer()) == 2
    rows = {row.user_id: row for row in EventInvitation.objects.filter(event=event)}
    assert rows[region["hr_kaluga"].pk].status == EventInvitation.Status.FAILED
    assert rows[region["hr_obninsk"].pk].status == EventInvitation.Status.SENT
    letter = OutgoingMail.objects.get(person=region["hr_obninsk"], kind=invitations.MAIL_KIND)
    assert rows[region["hr_obninsk"].pk].mail == letter  # the invitation keeps its outbox letter
    assert rows[region["hr_kaluga"].pk].mail is None
    OutgoingMail.objects.filter(pk=letter.pk).update(
        status=OutgoingMail.Status.FAILED, last_error="550 mailbox unavailable"
    )
    return event


def test_failed_letters_are_counted_and_sent_again_once(region, django_capture_on_commit_callbacks):
    event = invited_with_failures(region, django_capture_on_commit_callbacks)
    assert invitations.invitation_counts(event)["failed"] == 2
    organizer = make_organizer()
    client = client_of(organizer)
    page = client.get(f"/events/{event.pk}/invitations/").content.decode()
    assert "Письмо не дошло" in page and "Отправить повторно (получателей: 2)" in page

    User.objects.filter(pk=region["hr_kaluga"].pk).update(email="kaluzhskaya@example.org")  # corrected
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.pk}/invitations/", {"action": "resend"}, follow=True)
    assert "Письма с приглашением отправлены повторно, получателей: 2." in response.content.decode()
    assert {message.to[0] for message in mail.outbox} == {
        region["hr_obninsk"].email,
        "kaluzhskaya@example.org",
    }
    assert all(m.subject == "Приглашение на мероприятие «Семинар для кадровых служб»" for m in mail.outbox)
    statuses = set(EventInvitation.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == {EventInvitation.Status.SENT}
    assert invitations.invitation_counts(event)["failed"] == 0
    assert "Отправить повторно" not in client.get(f"/events/{event.pk}/invitations/").content.decode()

    # Pressed again (a second tab, a double click): nothing more goes.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/events/{event.pk}/invitations/", {"action": "resend"}, follow=True)
    assert "Повторно отправлять нечего" in again.content.decode()
    assert len(mail.outbox) == 2
    assert OutgoingMail.objects.filter(kind=invitations.MAIL_KIND).count() == 3  # 1 first + 2 again
    [entry] = PageLogEntry.objects.filter(page=event, action=invitations.RESENT_ACTION)
    assert entry.user == organizer and entry.data["count"] == 2
    assert "отправлены повторно, получателей: 2" in entry.message


def test_a_failed_invitee_without_an_address_now_is_marked_so(region, django_capture_on_commit_callbacks):
    event = invited_with_failures(region, django_capture_on_commit_callbacks)
    User.objects.filter(pk=region["hr_kaluga"].pk).update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.resend_failed(event, make_organizer()) == 1
    row = EventInvitation.objects.get(event=event, user=region["hr_kaluga"])
    assert row.status == EventInvitation.Status.NO_EMAIL
    assert invitations.invitation_counts(event)["failed"] == 0


def test_a_resent_invitation_follows_its_new_letter(region, django_capture_on_commit_callbacks):
    event = invited_with_failures(region, django_capture_on_commit_callbacks)
    first = EventInvitation.objects.get(event=event, user=region["hr_obninsk"]).mail
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.resend_failed(event, make_organizer()) == 2  # hr_kaluga's address is still bad
    row = EventInvitation.objects.get(event=event, user=region["hr_obninsk"])
    assert row.status == EventInvitation.Status.SENT and row.mail_id not in (None, first.pk)
    assert invitations.invitation_counts(event)["failed"] == 1  # hr_kaluga's: not queued again
    OutgoingMail.objects.filter(pk=row.mail_id).update(status=OutgoingMail.Status.FAILED)
    assert invitations.invitation_counts(event)["failed"] == 2  # the new letter failed too


def test_a_failed_letter_of_another_event_is_not_this_ones(region, django_capture_on_commit_callbacks):
    event = invited_with_failures(region, django_capture_on_commit_callbacks)
    other = limited_event(region)  # the same person's letter failed for the first event only
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitations(other, make_organizer())
    assert {row.user_id for row in invitations.failed_invitations(other)} == {region["hr_kaluga"].pk}
    assert {row.user_id for row in invitations.failed_invitations(event)} == {
        region["hr_obninsk"].pk,
        region["hr_kaluga"].pk,
    }


def test_the_migration_links_earlier_invitations_to_their_letters(region, django_capture_on_commit_callbacks):
    """Invitations queued before the link: by the letter's event header, or (older letters without it)
    by person and the time of the run, as the pages matched them before."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("events.migrations.0010_eventinvitation_mail")
    event = invited_with_failures(region, django_capture_on_commit_callbacks)
    other = limited_event(region)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitations(other, make_organizer())
    mine = OutgoingMail.objects.get(person=region["hr_obninsk"], kind=invitations.MAIL_KIND, status="failed")
    theirs = OutgoingMail.objects.exclude(pk=mine.pk).get(person=region["hr_obninsk"])
    OutgoingMail.objects.filter(pk=mine.pk).update(headers={"X-Antikor-Event": str(event.pk)})
    EventInvitation.objects.update(mail=None)  # as before the link
    migration.link_letters(apps, None)
    linked = {(row.event_id, row.user_id): row.mail_id for row in EventInvitation.objects.all()}
    assert linked[(event.pk, region["hr_obninsk"].pk)] == mine.pk
    assert linked[(other.pk, region["hr_obninsk"].pk)] == theirs.pk  # no header: person and time
    assert linked[(event.pk, region["hr_kaluga"].pk)] is None  # never queued
    assert invitations.invitation_counts(event)["failed"] == 2
    assert invitations.invitation_counts(other)["failed"] == 1


def test_only_organizers_resend_by_post_with_the_csrf_token_before_the_start(
    region, django_capture_on_commit_callbacks
):
    event = invited_with_failures(region, django_capture_on_commit_callbacks)
    url = f"/events/{event.pk}/invitations/"
    for person in (region["hr_obninsk"], make_writing_trainer(), make_municipal_manager(region["obninsk"])):
        assert client_of(person).post(url, {"action": "resend"}).status_code == 404
        with pytest.raises(PermissionDenied):
            invitations.resend_failed(event, person)
    assert Client().post(url, {"action": "resend"}).status_code == 302  # to the login page
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(make_organizer())
    assert guarded.post(url, {"action": "resend"}).status_code == 403
    assert client_of(make_organizer()).post(url, {"action": "remove-all"}).status_code == 400
    assert invitations.invitation_counts(event)["failed"] == 2  # nothing was sent again

    EventPage.objects.filter(pk=event.pk).update(start=timezone.now() - datetime.timedelta(minutes=5))
    response = client_of(make_organizer()).post(url, {"action": "resend"})
    assert response.status_code == 409
    assert "приглашения больше не рассылаются" in response.content.decode()
    assert invitations.invitation_counts(EventPage.objects.get(pk=event.pk))["failed"] == 2


def test_the_invitation_notice_goes_once_the_event_has_started(region):
    event = limited_event(region, title="Семинар для кадровых служб")
    invitations.send_invitations(event, make_organizer())
    person = region["hr_obninsk"]
    assert [n for n in notices_of(person) if "Приглашаем вас" in n.text]
    start = timezone.now() - datetime.timedelta(minutes=30)
    EventPage.objects.filter(pk=event.pk).update(start=start, end=start + datetime.timedelta(hours=3))
    assert not [n for n in notices_of(person) if "Приглашаем вас" in n.text]  # no call to register now


# --- attendance against expected ------------------------------------------------------------------


def held_event(region):
    start = timezone.now() - datetime.timedelta(hours=3)
    event = limited_event(region, start=start, format=EventPage.Format.HYBRID)
    Registration.objects.create(event=event, user=region["hr_obninsk"])
    Attendance.objects.create(event=event, user=region["hr_obninsk"])
    Attendance.objects.create(event=event, user=region["outsider"])  # came without being expected
    room = BroadcastRoom.objects.create(event=event, municipality=region["kaluga"], head_count=9)
    second = make_person(make_organization(region["kaluga"]), is_hr_service=True)
    room.participants.add(second)
    return event


def test_attendance_against_expected_per_municipality(region):
    event = held_event(region)
    summary = audience_attendance(event, Scope(make_regional_manager(), everything=True))
    rows = {row.name: row for row in summary.rows}
    assert set(rows) == {"Город Калуга", "Город Обнинск"}
    assert (rows["Город Обнинск"].expected, rows["Город Обнинск"].registered) == (1, 1)
    assert (rows["Город Обнинск"].attended, rows["Город Обнинск"].others) == (1, 1)
    assert (rows["Город Калуга"].expected, rows["Город Калуга"].attended) == (2, 1)
    assert str(rows["Город Калуга"].attended_percent) == "50.0"
    assert (summary.total.expected, summary.total.attended) == (3, 2)


def test_a_municipal_manager_sees_their_municipality_only(region):
    event = held_event(region)
    manager = make_municipal_manager(region["obninsk"])
    summary = audience_attendance(event, Scope.for_user(manager))
    assert [row.name for row in summary.rows] == ["Город Обнинск"]
    page = client_of(manager).get(f"/events/{event.pk}/attendance/").content.decode()
    assert 'id="audience-attendance"' in page
    assert "Город Обнинск" in page and "Город Калуга" not in page
    organizer_page = client_of(make_organizer()).get(f"/events/{event.pk}/attendance/").content.decode()
    assert "Город Калуга" in organizer_page and f"/events/{event.pk}/invitations/" in organizer_page


def test_the_dashboard_shows_targeted_seminars_within_the_scope(region):
    held_event(region)
    regional = client_of(make_regional_manager()).get("/reports/").content.decode()
    assert 'id="targeted-events"' in regional
    section = regional.split('id="targeted-events"')[1].split("</section>")[0]
    assert "<td>3</td>" in section and "<td>2</td>" in section  # expected, attended
    [summary] = targeted_events(Scope(make_regional_manager(), everything=True), Period.current_year())
    assert (summary.total.expected, summary.total.attended) == (3, 2)  # the cells above could be any rows
    municipal = client_of(make_municipal_manager(region["kaluga"])).get("/reports/").content.decode()
    section = municipal.split('id="targeted-events"')[1].split("</section>")[0]
    assert "<td>2</td>" in section and "<td>1</td>" in section and "<td>3</td>" not in section
    assert "Город Обнинск" not in section
