"""Live Q&A rules: who asks, upvotes and moderates, the length and rate limits, what participants see."""

import datetime

import pytest
from django.utils import timezone

from events import factories, live
from events.factories import make_event
from events.models import Attendance, EventPage, Question, QuestionVote, Registration
from people.factories import make_municipality, make_organization, make_person, make_regional_manager
from people.models import Municipality
from people.roles import Role

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
BABYNINO = "Муниципальный район «Бабынинский район»"


def make_live_event(**fields):
    """A hybrid seminar that started ten minutes ago and lasts two hours."""
    fields.setdefault("format", EventPage.Format.HYBRID)
    return make_event(start=timezone.now() - 10 * MINUTE, **fields)


def babynino():
    found = Municipality.objects.filter(name=BABYNINO).first()
    return found or make_municipality(BABYNINO)


def make_participant(event, municipality=None, **fields):
    municipality = municipality or babynino()
    person = make_person(make_organization(municipality), **fields)
    Registration.objects.create(event=event, user=person)
    return person


def make_organizer(event):
    """An organizer of events (the role; ``event`` is kept for the callers' readability)."""
    return factories.make_organizer()


@pytest.fixture
def event():
    return make_live_event()


@pytest.fixture
def participant(event):
    return make_participant(event, first_name="Анна", patronymic="Сергеевна", last_name="Смирнова")


# --- who takes part ---------------------------------------------------------------------------------


def test_registered_and_checked_in_people_are_participants(event, participant):
    checked_in = make_person()
    Attendance.objects.create(event=event, user=checked_in)
    waiting = make_person()
    Registration.objects.create(event=event, user=waiting, status=Registration.Status.WAITLISTED, position=1)
    cancelled = make_person()
    Registration.objects.create(event=event, user=cancelled, status=Registration.Status.CANCELLED)
    assert live.is_participant(event, participant)
    assert live.is_participant(event, checked_in)
    assert not live.is_participant(event, waiting)
    assert not live.is_participant(event, cancelled)
    assert not live.is_participant(make_live_event(), participant)  # registered elsewhere only


def test_organizers_and_regional_managers_moderate(event, participant):
    trainer = factories.make_writing_trainer()
    assert event.permissions_for_user(trainer).can_edit()
    assert not live.is_moderator(event, trainer)  # writing the page gives no access to people
    assert not live.is_moderator(event, participant)
    assert live.is_moderator(event, make_regional_manager())
    assert live.is_moderator(event, make_organizer(event))


def test_access_is_none_for_outsiders_and_unpublished_events(event, participant):
    assert live.LiveAccess.for_user(make_person(), event.pk) is None
    access = live.LiveAccess.for_user(participant, event.pk)
    assert (access.participant, access.moderator) == (True, False)
    event.unpublish()
    assert live.LiveAccess.for_user(participant, event.pk) is None
    assert live.LiveAccess.for_user(make_regional_manager(), event.pk) is None


# --- asking ---------------------------------------------------------------------------------------


def test_participant_asks_and_the_text_is_stripped(event, participant):
    question = live.ask(event, participant, "  Куда направлять уведомление о подарке?  ")
    assert question.text == "Куда направлять уведомление о подарке?"
    assert (question.state, question.votes, question.version) == ("open", 0, 1)
    payload = live.question_payload(question)
    assert payload["author"] == "Смирнова А. С., Муниципальный район «Бабынинский район»"
    assert payload["created"] == question.created.isoformat()


def test_outsiders_and_mere_moderators_cannot_ask(event):
    with pytest.raises(live.NotAParticipant):
        live.ask(event, make_person(), "Вопрос")
    with pytest.raises(live.NotAParticipant) as error:
        live.ask(event, make_regional_manager(), "Вопрос")
    assert error.value.code == "forbidden"
    assert "участники" in error.value.message
    assert not Question.objects.exists()


def test_length_limit_is_500_characters_after_stripping(event, participant):
    assert live.ask(event, participant, " " + "я" * 500 + "\n").text == "я" * 500
    with pytest.raises(live.QuestionTooLong) as error:
        live.ask(event, participant, "я" * 501)
    assert error.value.code == "too_long"
    assert "500" in error.value.message
    for blank in ("", "   \n\t", None, 42):
        with pytest.raises(live.EmptyQuestion):
            live.ask(event, participant, blank)
    assert Question.objects.count() == 1


def test_rate_limit_three_questions_a_minute_per_person_and_event(event, participant):
    now = timezone.now()
    for n in range(live.ASK_LIMIT):
        live.ask(event, participant, f"Вопрос {n}", now=now + n * datetime.timedelta(seconds=5))
    with pytest.raises(live.TooManyQuestions) as error:
        live.ask(event, participant, "Ещё вопрос", now=now + 20 * datetime.timedelta(seconds=1))
    assert error.value.code == "rate_limited"
    assert "3" in error.value.message
    # Other people and other events are not limited by this person's questions.
    live.ask(event, make_participant(event), "Вопрос соседа", now=now + 20 * datetime.timedelta(seconds=1))
    other_event = make_live_event()
    Registration.objects.create(event=other_event, user=participant)
    live.ask(
        other_event, participant, "Вопрос на другом семинаре", now=now + 20 * datetime.timedelta(seconds=1)
    )
    # A minute after the first question one more fits.
    live.ask(event, participant, "Через минуту", now=now + MINUTE)
    assert Question.objects.filter(event=event, author=participant).count() == live.ASK_LIMIT + 1


def test_no_questions_after_the_end(participant):
    event = make_event(start=timezone.now() - 3 * datetime.timedelta(hours=1), format=EventPage.Format.ONLINE)
    Registration.objects.create(event=event, user=participant)
    with pytest.raises(live.QuestionsClosed):
        live.ask(event, participant, "Опоздал?")


# --- upvotes --------------------------------------------------------------------------------------


def test_upvote_once_and_not_own(event, participant):
    question = live.ask(event, participant, "Вопрос")
    with pytest.raises(live.OwnQuestion):
        live.upvote(event, participant, question.pk)
    neighbour = make_participant(event)
    voted = live.upvote(event, neighbour, question.pk)
    assert (voted.votes, voted.version) == (1, 2)
    with pytest.raises(live.AlreadyVoted) as error:
        live.upvote(event, neighbour, question.pk)
    assert error.value.code == "already_voted"
    live.upvote(event, make_participant(event), str(question.pk))
    question.refresh_from_db()
    assert (question.votes, question.version) == (2, 3)
    assert QuestionVote.objects.filter(question=question).count() == 2


def test_upvote_refuses_outsiders_unknown_hidden_and_answered_questions(event, participant):
    question = live.ask(event, participant, "Вопрос")
    with pytest.raises(live.NotAParticipant):
        live.upvote(event, make_person(), question.pk)
    neighbour = make_participant(event)
    other_event = make_live_event()
    Registration.objects.create(event=other_event, user=neighbour)
    with pytest.raises(live.QuestionNotFound):
        live.upvote(other_event, neighbour, question.pk)  # a question of another event
    for junk in (None, "abc", 10**9):
        with pytest.raises(live.QuestionNotFound):
            live.upvote(event, neighbour, junk)
    moderator = make_regional_manager()
    live.moderate(event, moderator, question.pk, "answered")
    with pytest.raises(live.QuestionNotOpen):
        live.upvote(event, neighbour, question.pk)
    live.moderate(event, moderator, question.pk, "hidden")
    with pytest.raises(live.QuestionNotFound):
        live.upvote(event, neighbour, question.pk)
    assert not QuestionVote.objects.exists()


# --- moderation -----------------------------------------------------------------------------------


def test_only_moderators_moderate(event, participant):
    question = live.ask(event, participant, "Вопрос")
    for person in (participant, make_participant(event), make_person(role=Role.TRAINER)):
        with pytest.raises(live.NotAModerator):
            live.moderate(event, person, question.pk, "answered")
    question.refresh_from_db()
    assert (question.state, question.version) == ("open", 1)
    organizer = make_organizer(event)
    answered = live.moderate(event, organizer, question.pk, "answered")
    assert (answered.state, answered.version, answered.moderated_by) == ("answered", 2, organizer)
    assert live.moderate(event, organizer, question.pk, "answered").version == 2  # no change
    assert live.moderate(event, organizer, question.pk, "open").version == 3
    with pytest.raises(live.UnknownState):
        live.moderate(event, organizer, question.pk, "deleted")
    with pytest.raises(live.QuestionNotFound):
        live.moderate(make_live_event(), organizer, question.pk, "hidden")


def test_hidden_questions_are_not_shown_to_participants(event, participant):
    kept = live.ask(event, participant, "Обычный вопрос")
    hidden = live.ask(event, participant, "Оскорбительный вопрос")
    moderator = make_regional_manager()
    live.moderate(event, moderator, hidden.pk, "hidden")
    as_participant = live.LiveAccess.for_user(make_participant(event), event.pk)
    as_moderator = live.LiveAccess.for_user(moderator, event.pk)
    assert [q["id"] for q in as_participant.snapshot()["questions"]] == [kept.pk]
    assert [q["id"] for q in as_moderator.snapshot()["questions"]] == [kept.pk, hidden.pk]
    payload = live.question_payload(Question.objects.get(pk=hidden.pk))
    assert as_participant.question_view(payload) == {"id": hidden.pk, "state": "hidden", "version": 2}
    assert as_moderator.question_view(payload)["text"] == "Оскорбительный вопрос"


def test_perform_dispatches_actions_and_refuses_junk(event, participant):
    access = live.LiveAccess.for_user(participant, event.pk)
    question = access.perform({"action": "ask", "text": "Вопрос"})
    assert question.author == participant
    for junk in (None, [], "ask", {"action": "delete"}, {}):
        with pytest.raises(live.BadRequest):
            access.perform(junk)


# --- attendance -----------------------------------------------------------------------------------


def test_attendance_payload_counts_per_municipality(event):
    district = babynino()
    obninsk = make_municipality("Городской округ «Город Обнинск»")
    for municipality in (district, district, obninsk):
        Attendance.objects.create(event=event, user=make_person(make_organization(municipality)))
    Attendance.objects.create(event=event, user=make_person())  # a regional body, no municipality
    payload = live.attendance_payload(event)
    assert payload["total"] == 4
    assert payload["by_municipality"] == [
        {"id": obninsk.pk, "name": str(obninsk), "count": 1},
        {"id": district.pk, "name": str(district), "count": 2},
        {"id": None, "name": "Областные органы", "count": 1},
    ]
    assert live.attendance_payload(event)["version"] >= payload["version"]


# --- demo -----------------------------------------------------------------------------------------


def test_demo_questions_come_from_room_participants_once(event):
    from events.demo import DEMO_QUESTIONS, ensure_demo_questions
    from events.models import BroadcastRoom

    assert ensure_demo_questions(event) == 0  # nobody named in a room yet
    room = BroadcastRoom.objects.create(event=event, municipality=babynino(), head_count=20)
    people = [make_person(make_organization(babynino())) for _ in range(6)]
    room.participants.set(people)
    assert ensure_demo_questions(event) == len(DEMO_QUESTIONS)
    assert ensure_demo_questions(event) == 0
    questions = list(Question.objects.filter(event=event))
    assert len(questions) == len(DEMO_QUESTIONS)
    assert {q.author_id for q in questions} <= {p.pk for p in people}
    for question in questions:
        assert question.votes == question.question_votes.count() > 0
        assert question.author_id not in set(question.question_votes.values_list("user", flat=True))
    snapshot = live.LiveAccess.for_user(make_regional_manager(), event.pk).snapshot()
    assert [q["state"] for q in snapshot["questions"]] == ["answered", "answered", "open", "open"]
