"""Live Q&A and the live attendance counter of an event: the rules, the messages and their publishing.

Who takes part (one rule for the stream page, its HTTP fallbacks and the WebSocket):

* **moderators** — the event's organizers (the role «Организаторы мероприятий» and regional
  managers, :meth:`EventPage.can_organize`): they see every question, hidden ones too, with its
  author, and mark questions answered, hidden or open again;
* **participants** — people registered for the event (a seat, not the waiting list) or checked in:
  they ask questions and upvote other people's questions.

Anybody else is refused. State changes are the functions :func:`ask`, :func:`upvote` and
:func:`moderate`; each raises a :class:`LiveError` subclass whose ``code`` goes to the WebSocket
client and whose message is a Russian text fit to show. After the transaction commits, a change is
sent to the event's channel-layer group (:func:`event_group`): a question's new state at once, and a
tiny "attendance changed" notice that every process's consumers turn into at most one fresh
attendance message per second (see :mod:`events.consumers`).

The rate limit (:data:`ASK_LIMIT` questions per :data:`ASK_WINDOW`) is counted from the questions
in the database under a lock on the author's row, so it holds across connections, workers and hosts.
"""

import datetime
import time
from functools import partial

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.broadcast import publish

from .attendance import attendance_summary
from .exceptions import EventError
from .models import Attendance, EventPage, Question, QuestionVote, Registration
from .models.questions import QUESTION_MAX_LENGTH

ASK_LIMIT = 3
ASK_WINDOW = datetime.timedelta(minutes=1)
NO_MUNICIPALITY = gettext_lazy("Областные органы")

State = Question.State


# --- errors ----------------------------------------------------------------------------------------


class LiveError(EventError):
    """A refused live action; ``code`` names it for the WebSocket client."""

    code = "error"


class NotAParticipant(LiveError):
    code = "forbidden"
    default_message = gettext_lazy("Задавать вопросы и голосовать могут только участники мероприятия.")


class NotAModerator(LiveError):
    code = "forbidden"
    default_message = gettext_lazy("Отмечать и скрывать вопросы может только модератор мероприятия.")


class EmptyQuestion(LiveError):
    code = "empty"
    default_message = gettext_lazy("Введите текст вопроса.")


class QuestionTooLong(LiveError):
    code = "too_long"

    def __init__(self, message=None):
        super().__init__(
            message or _("Вопрос длиннее %(limit)d знаков, сократите его.") % {"limit": QUESTION_MAX_LENGTH}
        )


class TooManyQuestions(LiveError):
    code = "rate_limited"

    def __init__(self, message=None):
        super().__init__(
            message
            or _("Можно задать не больше %(limit)d вопросов в минуту. Подождите немного.")
            % {"limit": ASK_LIMIT}
        )


class QuestionsClosed(LiveError):
    code = "closed"
    default_message = gettext_lazy("Мероприятие завершилось: вопросы и голоса больше не принимаются.")


class QuestionNotFound(LiveError):
    code = "not_found"
    default_message = gettext_lazy("Вопрос не найден.")


class QuestionNotOpen(LiveError):
    code = "not_open"
    default_message = gettext_lazy("Голосовать можно только за вопросы, которые ещё ждут ответа.")


class OwnQuestion(LiveError):
    code = "own_question"
    default_message = gettext_lazy("За свой вопрос голосовать нельзя.")


class AlreadyVoted(LiveError):
    code = "already_voted"
    default_message = gettext_lazy("Вы уже голосовали за этот вопрос.")


class UnknownState(LiveError):
    code = "bad_state"
    default_message = gettext_lazy("Неизвестное состояние вопроса.")


class BadRequest(LiveError):
    code = "bad_request"
    default_message = gettext_lazy("Непонятный запрос.")


# --- who takes part --------------------------------------------------------------------------------


def live_events():
    """Events with a live Q&A: live, public event pages (anything else is "not found")."""
    return EventPage.objects.live().public()


def is_moderator(event, user):
    """Organizers of the event (regional managers among them)."""
    if not (user is not None and user.is_authenticated):
        return False
    return event.can_organize(user)


def is_participant(event, user):
    """Registered for the event (a seat, not the waiting list) or checked in."""
    if not (user is not None and user.is_authenticated):
        return False
    registered = Registration.objects.registered().filter(event=event, user=user)
    return registered.exists() or Attendance.objects.filter(event=event, user=user).exists()


class LiveAccess:
    """One person's part in one event's live page: may they ask, may they moderate."""

    def __init__(self, event, user, *, moderator, participant):
        self.event = event
        self.event_id = event.pk
        self.user = user
        self.moderator = moderator
        self.participant = participant

    @classmethod
    def for_user(cls, user, event_or_pk):
        """The access of a moderator or participant, else None (sync: uses the database)."""
        if user is None or not user.is_authenticated:
            return None
        event = event_or_pk
        if not isinstance(event, EventPage):
            event = live_events().filter(pk=event_or_pk).first()
        if event is None:
            return None
        access = cls(
            event,
            user,
            moderator=is_moderator(event, user),
            participant=is_participant(event, user),
        )
        return access if access.moderator or access.participant else None

    def snapshot(self):
        return {
            "type": "snapshot",
            "attendance": attendance_payload(self.event),
            "questions": [
                self.question_view(payload) for payload in question_payloads(self.event, self.moderator)
            ],
            "moderator": self.moderator,
        }

    def question_view(self, payload):
        """A question as this person may see it: no text or author of a hidden one for participants."""
        return payload if self.moderator else participant_view(payload)

    def perform(self, content):
        """Run a client's action (``{"action": ...}``); raises :class:`LiveError`."""
        if not isinstance(content, dict):
            raise BadRequest
        action = content.get("action")
        if action == "ask":
            return ask(self.event, self.user, content.get("text"))
        if action == "upvote":
            return upvote(self.event, self.user, content.get("question"))
        if action == "moderate":
            return moderate(self.event, self.user, content.get("question"), content.get("state"))
        raise BadRequest


# --- messages --------------------------------------------------------------------------------------


def event_group(event_id):
    return f"events.event.{int(event_id)}.live"


def question_payload(question):
    """The full question, as moderators see it (``question.author.municipality`` should be loaded)."""
    return {
        "id": question.pk,
        "text": question.text,
        "author": question.author_label(),
        "votes": question.votes,
        "state": question.state,
        "created": question.created.isoformat(),
        "version": question.version,
    }


def participant_view(payload):
    if payload["state"] == State.HIDDEN:
        return {"id": payload["id"], "state": State.HIDDEN, "version": payload["version"]}
    return payload


def question_payloads(event, moderator):
    """The event's questions in the order asked; participants get no hidden ones."""
    questions = Question.objects.for_event(event)
    if not moderator:
        questions = questions.visible()
    return [question_payload(question) for question in questions]


def attendance_payload(event):
    """``{"total", "by_municipality": [{"id", "name", "count"}], "version"}`` for everybody watching.

    Counts only, no names: the same figures as the attendance page (people counted once). The
    version is the time of computing in milliseconds, so a later computation always wins.
    """
    summary = attendance_summary(event)
    rows = [{"id": row.pk, "name": str(row), "count": row.total} for row in summary["rows"] if row.total]
    if summary["without_municipality"]:
        rows.append({"id": None, "name": str(NO_MUNICIPALITY), "count": summary["without_municipality"]})
    return {"total": summary["total"], "by_municipality": rows, "version": time.time_ns() // 1_000_000}


MODERATION_BUTTONS = [
    (State.ANSWERED, gettext_lazy("Отметить отвеченным")),
    (State.HIDDEN, gettext_lazy("Скрыть")),
    (State.OPEN, gettext_lazy("Вернуть в очередь")),
]
STATE_RANK = {State.OPEN: 0, State.ANSWERED: 1, State.HIDDEN: 2}


def display_order(question):
    """Open questions first, most supported first; then answered ones; hidden ones last; older first."""
    votes = question.votes if question.state == State.OPEN else 0
    return (STATE_RANK.get(question.state, 3), -votes, question.created, question.pk)


def page_context(access):
    """What the stream page renders without JavaScript: the queue, the counter and the person's votes."""
    questions = Question.objects.for_event(access.event)
    if not access.moderator:
        questions = questions.visible()
    questions = sorted(questions, key=display_order)
    voted = QuestionVote.objects.filter(question__event=access.event, user=access.user)
    return {
        "live_access": access,
        "live_questions": questions,
        "live_voted_ids": set(voted.values_list("question_id", flat=True)),
        "live_attendance": attendance_payload(access.event),
        "live_socket_path": f"/ws/events/{access.event_id}/live/",
        "question_max_length": QUESTION_MAX_LENGTH,
        "questions_open": not access.event.has_ended(),
        "moderation_buttons": MODERATION_BUTTONS,
    }


# --- publishing ------------------------------------------------------------------------------------


def publish_question(question):
    """Send the question's new state to everybody watching, once the transaction commits."""
    payload = question_payload(question)
    transaction.on_commit(
        partial(publish, event_group(question.event_id), {"type": "question.changed", "question": payload}),
        robust=True,
    )


def notify_attendance_changed(event_id):
    """Tell the event's live pages that attendance changed (cheap: nothing computed here)."""
    transaction.on_commit(
        partial(publish, event_group(event_id), {"type": "attendance.changed"}, coalesce=True), robust=True
    )


# --- actions ---------------------------------------------------------------------------------------


def _check_not_over(event, now):
    if event.has_ended(now):
        raise QuestionsClosed


def _get_question(event, question_id, *, lock=False):
    try:
        question_id = int(question_id)
    except (TypeError, ValueError):
        raise QuestionNotFound from None
    questions = Question.objects.filter(event=event)
    if lock:
        questions = questions.select_for_update()
    question = questions.filter(pk=question_id).first()
    if question is None:
        raise QuestionNotFound
    return question


def _reloaded(question):
    return Question.objects.select_related("author__municipality").get(pk=question.pk)


def clean_text(text):
    """The question's text without surrounding blanks; raises for an empty or too long one."""
    if not isinstance(text, str):
        raise EmptyQuestion
    text = text.strip()
    if not text:
        raise EmptyQuestion
    if len(text) > QUESTION_MAX_LENGTH:
        raise QuestionTooLong
    return text


def ask(event, user, text, now=None):
    """A participant asks a question. Raises :class:`NotAParticipant`, :class:`QuestionsClosed`,
    :class:`EmptyQuestion`, :class:`QuestionTooLong` or :class:`TooManyQuestions`."""
    now = now or timezone.now()
    if not is_participant(event, user):
        raise NotAParticipant
    _check_not_over(event, now)
    text = clean_text(text)
    with transaction.atomic():
        # One ask at a time per person, so that parallel connections cannot slip past the limit.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if Question.objects.filter(event=event).asked_by_after(user, now - ASK_WINDOW).count() >= ASK_LIMIT:
            raise TooManyQuestions
        question = Question.objects.create(event=event, author=user, text=text, created=now)
        question = _reloaded(question)
        publish_question(question)
    return question


def upvote(event, user, question_id, now=None):
    """A participant supports someone else's open question, once. Raises :class:`NotAParticipant`,
    :class:`QuestionNotFound`, :class:`QuestionNotOpen`, :class:`OwnQuestion` or :class:`AlreadyVoted`."""
    now = now or timezone.now()
    if not is_participant(event, user):
        raise NotAParticipant
    _check_not_over(event, now)
    question = _get_question(event, question_id)
    if question.state == State.HIDDEN:
        raise QuestionNotFound
    if question.state != State.OPEN:
        raise QuestionNotOpen
    if question.author_id == user.pk:
        raise OwnQuestion
    try:
        with transaction.atomic():
            QuestionVote.objects.create(question=question, user=user, created=now)
            Question.objects.filter(pk=question.pk).update(votes=F("votes") + 1, version=F("version") + 1)
            question = _reloaded(question)
            publish_question(question)
    except IntegrityError:
        raise AlreadyVoted from None
    return question


def moderate(event, user, question_id, state, now=None):
    """A moderator marks a question answered, hides it or opens it again. Setting the state it
    already has changes nothing. Raises :class:`NotAModerator`, :class:`QuestionNotFound` or
    :class:`UnknownState`."""
    now = now or timezone.now()
    if not is_moderator(event, user):
        raise NotAModerator
    if state not in State.values:
        raise UnknownState
    with transaction.atomic():
        question = _get_question(event, question_id, lock=True)
        if question.state != state:
            Question.objects.filter(pk=question.pk).update(
                state=state, moderated_by=user, moderated_at=now, version=F("version") + 1
            )
            question = _reloaded(question)
            publish_question(question)
        else:
            question = _reloaded(question)
    return question
