"""The follow-up quiz of an event: who is offered it, when, and how it runs through the quizzes engine."""

import datetime

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone

from events import services
from events.cabinet import my_events_section, pending_follow_ups
from events.factories import make_event
from events.models import Attendance, BroadcastRoom, EventPage, Registration
from events.models.pages import FollowUpNotAvailable, FollowUpSitting
from people.factories import make_municipal_manager, make_municipality, make_person
from quizzes.exceptions import NoAttemptsLeft
from quizzes.factories import correct_answer, make_quiz, make_single_choice, make_true_false
from quizzes.models import Quiz, Sitting
from quizzes.services import finish_sitting, save_answer

pytestmark = pytest.mark.django_db

BUTTON = "Пройти тест по итогам семинара"


@pytest.fixture
def quiz():
    return make_quiz(
        [make_single_choice(text="Куда направляется уведомление?"), make_true_false(value=True)],
        title="Тест по итогам семинара о конфликте интересов",
        time_limit=15,
        attempts_allowed=2,
        pass_mark=100,
        review_policy=Quiz.ReviewPolicy.AFTER_ATTEMPT,
    )


def past_event(quiz=None, ended_hours_ago=1, **fields):
    """An event that ended ``ended_hours_ago`` hours ago (three hours long)."""
    start = timezone.now() - datetime.timedelta(hours=3 + ended_hours_ago)
    return make_event(start=start, duration=datetime.timedelta(hours=3), follow_up_quiz=quiz, **fields)


def attend(event, user):
    return Attendance.objects.create(event=event, user=user, checked_in_at=event.start)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def follow_up_url(event):
    return f"{event.url}follow-up/"


def answer_all(sitting, right=True):
    for snapshot in sitting.questions():
        answer = correct_answer(snapshot)
        if not right and snapshot["type"] == "truefalse":
            answer = {"value": not answer["value"]}
        save_answer(sitting, snapshot["id"], answer, 1)
    return finish_sitting(sitting)


# --- who and when ----------------------------------------------------------------------------------


def test_attended_means_checked_in_or_named_in_a_room(quiz):
    event = past_event(quiz, format=EventPage.Format.HYBRID)
    checked_in, named, registered, stranger = (make_person() for _ in range(4))
    attend(event, checked_in)
    municipality = make_municipality()
    room = BroadcastRoom.objects.create(event=event, municipality=municipality, head_count=12)
    room.participants.add(named)
    services_event = EventPage.objects.get(pk=event.pk)
    Registration.objects.create(event=event, user=registered)

    assert services_event.attended(checked_in)
    assert services_event.attended(named)
    assert not services_event.attended(registered)
    assert not services_event.attended(stranger)
    assert set(EventPage.objects.attended_by(named)) == {services_event}
    assert not EventPage.objects.attended_by(registered).exists()


def test_not_offered_before_the_end_without_a_quiz_or_to_absent_people(quiz):
    person = make_person()
    running = make_event(
        start=timezone.now() - datetime.timedelta(hours=1),
        duration=datetime.timedelta(hours=3),
        follow_up_quiz=quiz,
    )
    attend(running, person)
    without_quiz = past_event()
    attend(without_quiz, person)
    absent = past_event(quiz)

    for event in (running, without_quiz, absent):
        assert event.follow_up_for(person) is None
        with pytest.raises(FollowUpNotAvailable):
            event.start_follow_up(person)
        assert logged_in(person).post(follow_up_url(event)).status_code == 404
        assert BUTTON not in logged_in(person).get(event.url).content.decode()
    assert not Sitting.objects.exists()


def test_registered_but_absent_person_sees_why_there_is_no_test(quiz):
    person = make_person()
    event = make_event(start=timezone.now() + datetime.timedelta(days=1), follow_up_quiz=quiz)
    services.register(event, person)
    EventPage.objects.filter(pk=event.pk).update(
        start=timezone.now() - datetime.timedelta(hours=4), end=timezone.now() - datetime.timedelta(hours=1)
    )
    page = logged_in(person).get(event.url).content.decode()
    assert BUTTON not in page
    assert "Тест по итогам доступен участникам, которые отметились" in page


# --- the event page and the quizzes engine ---------------------------------------------------------


def test_participant_takes_the_follow_up_quiz_end_to_end(quiz):
    event = past_event(quiz)
    person = make_person()
    attend(event, person)
    client = logged_in(person)

    page = client.get(event.url).content.decode()
    assert BUTTON in page
    assert f'action="{follow_up_url(event)}"' in page
    assert quiz.title in page

    response = client.post(follow_up_url(event))
    sitting = Sitting.objects.get(user=person)
    assert response.status_code == 302
    assert response["Location"] == f"/tests/sittings/{sitting.pk}/"
    assert sitting.quiz == quiz and sitting.campaign is None
    assert FollowUpSitting.objects.get(sitting=sitting).event.pk == event.pk
    assert client.get(response["Location"]).status_code == 200  # the engine's own test page

    # posting again resumes the same sitting; the page says it is not finished
    assert client.post(follow_up_url(event))["Location"] == f"/tests/sittings/{sitting.pk}/"
    assert Sitting.objects.count() == 1
    page = client.get(event.url).content.decode()
    assert "Продолжить тест по итогам семинара" in page

    answer_all(sitting)
    page = client.get(event.url).content.decode()
    assert "Тест пройден" in page
    assert f"/tests/sittings/{sitting.pk}/result/" in page
    assert BUTTON not in page
    assert client.get(f"/tests/sittings/{sitting.pk}/result/").status_code == 200


def test_failed_attempt_can_be_retried_while_attempts_are_left(quiz):
    event = past_event(quiz)
    person = make_person()
    attend(event, person)
    client = logged_in(person)

    answer_all(event.start_follow_up(person), right=False)
    page = client.get(event.url).content.decode()
    assert "Тест не пройден" in page
    assert BUTTON in page
    assert "Осталось попыток: 1." in page

    second = Sitting.objects.get(pk=client.post(follow_up_url(event))["Location"].split("/")[-2])
    assert second.number == 2
    answer_all(second, right=False)
    page = client.get(event.url).content.decode()
    assert BUTTON not in page
    assert "Попыток больше нет." in page

    response = client.post(follow_up_url(event), follow=True)
    assert response.redirect_chain[-1][0] == event.url
    assert [str(m) for m in response.context["messages"]] == [NoAttemptsLeft().message]
    assert Sitting.objects.filter(user=person).count() == 2


def test_follow_up_needs_login_post_and_csrf(quiz):
    event = past_event(quiz)
    person = make_person()
    attend(event, person)

    response = Client().post(follow_up_url(event))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")

    assert logged_in(person).get(follow_up_url(event)).status_code == 405

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(person)
    assert strict.post(follow_up_url(event)).status_code == 403
    assert not Sitting.objects.exists()


def test_unpublished_event_has_no_follow_up_route(quiz):
    event = past_event(quiz)
    person = make_person()
    attend(event, person)
    event.unpublish()
    assert logged_in(person).post(follow_up_url(event)).status_code == 404
    assert not Sitting.objects.exists()


def test_sittings_are_linked_to_the_event_they_were_started_from(quiz):
    first, second = past_event(quiz), past_event(quiz)
    person = make_person()
    attend(first, person)
    attend(second, person)
    sitting = answer_all(first.start_follow_up(person), right=False)
    assert second.follow_up_for(person).sitting is None
    assert first.follow_up_for(person).sitting == sitting
    assert second.follow_up_for(person).attempts_left == 2  # attempts are counted per event


def test_an_overdue_sitting_is_finished_when_the_page_is_shown(quiz):
    event = past_event(quiz, ended_hours_ago=5)
    person = make_person()
    attend(event, person)
    started = timezone.now() - datetime.timedelta(hours=2)
    sitting = event.start_follow_up(person, now=started)
    assert sitting.deadline == started + datetime.timedelta(minutes=15)
    follow_up = event.follow_up_for(person)
    assert follow_up.state == "finished"
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.FINISHED and sitting.finished_at == sitting.deadline


def test_quiz_of_an_event_cannot_be_deleted(quiz):
    past_event(quiz)
    with pytest.raises(ProtectedError):
        quiz.delete()


def test_admin_edit_form_has_the_follow_up_panel(quiz):
    from wagtail.admin.panels import get_edit_handler

    names = get_edit_handler(EventPage).get_form_class()._meta.fields
    assert "follow_up_quiz" in names


# --- the cabinet -----------------------------------------------------------------------------------


def test_cabinet_lists_pending_follow_ups_until_passed(quiz):
    person = make_person()
    attended = past_event(quiz, title="Семинар о конфликте интересов")
    attend(attended, person)
    attend(past_event(), person)  # no quiz
    past_event(quiz)  # not attended
    client = logged_in(person)

    assert [f.event.pk for f in pending_follow_ups(person)] == [attended.pk]
    page = client.get("/cabinet/").content.decode()
    assert "Мои мероприятия" in page
    assert "Тесты по итогам мероприятий" in page
    assert "Семинар о конфликте интересов" in page
    assert BUTTON in page
    assert f'action="{follow_up_url(attended)}"' in page

    response = client.post(follow_up_url(attended))
    page = client.get("/cabinet/").content.decode()
    assert "Продолжить тест по итогам семинара" in page

    sitting = Sitting.objects.get(pk=response["Location"].split("/")[-2])
    answer_all(sitting)
    assert pending_follow_ups(person) == []
    assert "Тесты по итогам мероприятий" not in client.get("/cabinet/").content.decode()


def test_cabinet_section_still_lists_upcoming_registrations(quiz, rf):
    person = make_person()
    upcoming = make_event(title="Предстоящий семинар")
    services.register(upcoming, person)
    attend(past_event(quiz), person)
    request = rf.get("/cabinet/")
    request.user = person
    section = my_events_section(request)
    assert [r.event.pk for r in section["registrations"]] == [upcoming.pk]
    assert len(section["follow_ups"]) == 1
    page = logged_in(person).get("/cabinet/").content.decode()
    assert "Предстоящий семинар" in page and BUTTON in page


def test_managers_do_not_get_a_follow_up_for_events_they_did_not_attend(quiz):
    municipality = make_municipality()
    manager = make_municipal_manager(municipality)
    event = past_event(quiz)
    attend(event, make_person(municipality=municipality))
    assert event.follow_up_for(manager) is None
    assert logged_in(manager).post(follow_up_url(event)).status_code == 404


def test_the_editor_is_warned_when_the_follow_up_uses_a_running_campaigns_questions(quiz):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    from events.wagtail_hooks import warn_about_follow_up_on_campaign_questions
    from people.audience import Audience
    from quizzes.models import TestCampaign

    event = past_event(quiz)
    request = RequestFactory().post("/admin/")
    request.session = {}
    request._messages = FallbackStorage(request)
    warn_about_follow_up_on_campaign_questions(request, event)
    assert list(get_messages(request)) == []
    TestCampaign.objects.create(
        title="Осеннее тестирование",
        quiz=make_quiz(list(quiz.questions.all())[:1]),
        audience=Audience.objects.create(title="Все"),
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    warn_about_follow_up_on_campaign_questions(request, event)
    [message] = [str(m) for m in get_messages(request)]
    assert "по итогам мероприятия содержит вопросы тестирования «Осеннее тестирование»" in message
    assert message.startswith(f"Тест «{quiz.title}»")


def test_a_review_elsewhere_withholds_the_follow_up_questions_still_ahead(quiz):
    from quizzes.answerable import answerable_question_ids

    event = past_event(quiz)
    person = make_person()
    assert answerable_question_ids(person) == set()
    attend(event, person)
    assert answerable_question_ids(person) == set(quiz.questions.values_list("pk", flat=True))
    for _attempt in range(quiz.attempts_allowed):
        answer_all(event.start_follow_up(person), right=False)
    assert answerable_question_ids(person) == set()
