"""The stream page's Q&A without WebSocket: plain forms, escaping, access, hidden questions."""

import pytest

from events import factories, live
from events.models import EventPage, Question, QuestionVote
from events.tests.test_live import make_live_event, make_organizer, make_participant
from people.factories import make_person, make_regional_manager

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>Можно ли принять подарок?'


@pytest.fixture
def event():
    return make_live_event()


@pytest.fixture
def participant(event):
    return make_participant(event)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def stream_of(client, event):
    response = client.get(f"/events/{event.pk}/stream/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_script_question_is_shown_as_text(client, event, participant):
    live.ask(event, participant, SCRIPT)
    client.force_login(make_participant(event))
    body = stream_of(client, event)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;Можно ли принять подарок?" in body
    assert '<script>alert("x")' not in body
    assert f'data-socket="/ws/events/{event.pk}/live/"' in body
    assert "/static/events/live.js" in body


def test_participant_asks_upvotes_once_through_forms(client, event, participant):
    client.force_login(participant)
    response = client.post(f"/events/{event.pk}/questions/", {"text": "  Как уведомить о подарке?  "})
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.pk}/stream/#questions"
    question = Question.objects.get()
    assert (question.text, question.author) == ("Как уведомить о подарке?", participant)

    response = client.post(f"/events/{event.pk}/questions/", {"text": "я" * 501}, follow=True)
    assert "500" in messages_of(response)[-1]
    assert Question.objects.count() == 1

    client.force_login(make_participant(event))
    url = f"/events/{event.pk}/questions/{question.pk}/upvote/"
    assert "Ваш голос учтён." in messages_of(client.post(url, follow=True))
    assert "Вы уже голосовали за этот вопрос." in messages_of(client.post(url, follow=True))
    assert QuestionVote.objects.count() == 1
    body = stream_of(client, event)
    assert url not in body  # no second upvote button


def test_rate_limit_through_forms(client, event, participant):
    client.force_login(participant)
    for n in range(live.ASK_LIMIT):
        client.post(f"/events/{event.pk}/questions/", {"text": f"Вопрос {n}"})
    response = client.post(f"/events/{event.pk}/questions/", {"text": "Лишний"}, follow=True)
    assert "не больше 3 вопросов в минуту" in messages_of(response)[-1]
    assert Question.objects.count() == live.ASK_LIMIT


def test_outsiders_get_404_and_anonymous_go_to_login(client, event, participant):
    question = live.ask(event, participant, "Вопрос")
    urls = [
        f"/events/{event.pk}/questions/",
        f"/events/{event.pk}/questions/{question.pk}/upvote/",
        f"/events/{event.pk}/questions/{question.pk}/moderate/",
    ]
    for url in urls:
        assert client.post(url, {"text": "x", "state": "hidden"})["Location"].startswith("/login/")
    client.force_login(make_person())
    for url in urls:
        assert client.post(url, {"text": "x", "state": "hidden"}).status_code == 404
    assert client.get(urls[0]).status_code == 405
    question.refresh_from_db()
    assert (Question.objects.count(), question.state, question.votes) == (1, "open", 0)


def test_participants_cannot_moderate_and_do_not_see_hidden_questions(client, event, participant):
    question = live.ask(event, participant, "Неуместный вопрос")
    url = f"/events/{event.pk}/questions/{question.pk}/moderate/"
    client.force_login(participant)
    body = stream_of(client, event)
    assert url not in body
    response = client.post(url, {"state": "hidden"}, follow=True)
    assert "только модератор" in messages_of(response)[-1]
    assert Question.objects.get().state == "open"

    client.force_login(make_organizer(event))
    assert url in stream_of(client, event)
    client.post(url, {"state": "hidden"})
    assert Question.objects.get().state == "hidden"
    assert "Неуместный вопрос" in stream_of(client, event)  # the moderator still sees it

    client.force_login(participant)
    assert "Неуместный вопрос" not in stream_of(client, event)


def test_regional_manager_opens_the_stream_page_as_moderator(client, event):
    client.force_login(make_regional_manager())
    body = stream_of(client, event)
    assert 'data-moderator="1"' in body
    assert 'id="ask-form"' not in body  # moderators who take no part do not ask


def test_attendance_counter_is_on_the_page(client, event, participant):
    from events import services

    services.check_in(event, participant, event.check_in_code)
    client.force_login(participant)
    body = stream_of(client, event)
    assert 'id="live-total">1<' in body
    assert str(participant.municipality) in body


def test_no_stream_page_for_in_person_events_but_fallbacks_go_back_to_the_event(client, participant):
    event = make_live_event(format=EventPage.Format.IN_PERSON)
    participant_here = make_participant(event)
    client.force_login(participant_here)
    assert client.get(f"/events/{event.pk}/stream/").status_code == 404
    response = client.post(f"/events/{event.pk}/questions/", {"text": "Вопрос из зала"})
    assert response["Location"] == event.url
    assert Question.objects.filter(event=event).count() == 1


def test_admin_edit_page_links_to_the_live_q_and_a(client, event):
    client.force_login(make_person(is_superuser=True, is_staff=True))
    body = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert f"/events/{event.pk}/stream/" in body
    assert "Вопросы участников (модерация)" in body
    in_person = make_live_event(format=EventPage.Format.IN_PERSON)
    assert (
        f"/events/{in_person.pk}/stream/"
        not in client.get(f"/admin/pages/{in_person.pk}/edit/").content.decode()
    )


def test_admin_shows_a_writing_trainer_no_buttons_to_people(client, event):
    trainer = factories.make_writing_trainer(is_staff=True)
    client.force_login(trainer)
    response = client.get(f"/admin/pages/{event.pk}/edit/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"/events/{event.pk}/stream/" not in body
    assert f"/events/{event.pk}/attendance/" not in body
    client.force_login(factories.make_organizer())
    assert client.get(f"/admin/pages/{event.pk}/edit/").status_code in (302, 403)  # no admin for organizers
