"""The JSON the test-taking API sends, built from sittings and campaigns.

While a sitting is in progress only the public payload of its questions goes out
(``Sitting.public_questions()``, a whitelist) plus the person's own answers: never a score, a fraction
or a correct answer.
"""

from django.http import HttpResponse
from django.urls import reverse
from ninja.renderers import JSONRenderer

from ..models import Sitting
from ..services import finish_sitting
from .errors import not_found
from .review import result_summary, review_items

_renderer = JSONRenderer()  # NinjaAPI's default, which config/api.py keeps


def my_sitting_or_404(user, sitting_id, now, finish_overdue=True):
    """The person's own sitting; one left in progress past its deadline (plus grace) is finished now
    (unless the caller does that itself)."""
    sitting = Sitting.objects.filter(user=user, pk=sitting_id).select_related("quiz", "campaign").first()
    if sitting is None:
        raise not_found()
    if finish_overdue and sitting.is_in_progress and not sitting.accepts_answers_at(now):
        finish_sitting(sitting, now=now)
    return sitting


def ran_out_of_time(sitting):
    """Finished because its time was up (not by the person)."""
    return (
        not sitting.is_in_progress
        and sitting.deadline is not None
        and sitting.finished_at == sitting.deadline
    )


def result_url(sitting):
    return reverse("quizzes:result", args=[sitting.pk])


def campaign_payload(entry):
    campaign = entry.campaign
    sitting = entry.sitting
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "description": campaign.description,
        "quiz_title": campaign.quiz.title,
        "opens_at": campaign.opens_at,
        "closes_at": campaign.closes_at,
        "is_open": entry.is_open,
        "time_limit": entry.time_limit,
        "question_count": campaign.quiz.question_count,
        "state": entry.state,
        "sitting": (
            None
            if sitting is None
            else {
                "id": sitting.pk,
                "state": sitting.state,
                "percent": sitting.percent,
                "passed": sitting.passed,
            }
        ),
        "attempts_left": entry.attempts_left,
        "can_start": entry.can_start,
    }


def sitting_payload(sitting, now, answers=None):
    """``answers``: the sitting's saved answers when the caller knows them (none in a sitting it has
    just created), else they are read."""
    if answers is None:
        answers = list(sitting.responses.order_by("pk").values("question_id", "answer", "seq", "saved_at"))
    return {
        "id": sitting.pk,
        "campaign_id": sitting.campaign_id,
        "title": sitting.campaign.title if sitting.campaign_id else sitting.quiz.title,
        "number": sitting.number,
        "state": sitting.state,
        "started_at": sitting.started_at,
        "deadline": sitting.deadline,
        "server_now": now,
        "seconds_left": sitting.seconds_left(now),
        "result_url": result_url(sitting),
        "questions": sitting.public_questions(),
        "answers": answers,
    }


def trusted_response(request, data):
    """``data`` as a 200 JSON response, rendered like the API renders its schemas, without validating
    it against the endpoint's response schema first.

    Only for payloads built here from server data in exactly the schema's shape (the start of a
    sitting: 16 questions through pydantic cost more CPU than the rest of the response). The questions
    stay the public whitelist (:func:`~quizzes.models.questions.public_payload`); a test checks that
    the bytes equal the validated rendering.
    """
    content = _renderer.render(request, data, response_status=200)
    return HttpResponse(content, content_type=f"{_renderer.media_type}; charset={_renderer.charset}")


_QUESTIONS_MARK = "@@prepared-questions@@"


def prepared_response(request, started, now):
    """The start of a sitting from a prepared paper (:func:`~quizzes.services.prepared.start_prepared`):
    the same bytes :func:`sitting_payload` would give, with the questions as they were rendered when
    the paper was made. (The questions come after everything a person or a manager can write, such as
    the title: the last place of the mark is theirs.)"""
    seconds_left = None if started.deadline is None else max(0, int((started.deadline - now).total_seconds()))
    data = {
        "id": started.sitting_id,
        "campaign_id": started.campaign_id,
        "title": started.title,
        "number": started.number,
        "state": Sitting.State.IN_PROGRESS,
        "started_at": started.started_at,
        "deadline": started.deadline,
        "server_now": now,
        "seconds_left": seconds_left,
        "result_url": reverse("quizzes:result", args=[started.sitting_id]),
        "questions": _QUESTIONS_MARK,
        "answers": [],
    }
    content = _renderer.render(request, data, response_status=200)
    before, _mark, after = content.rpartition(f'"{_QUESTIONS_MARK}"')
    content = before + started.questions + after
    return HttpResponse(content, content_type=f"{_renderer.media_type}; charset={_renderer.charset}")


def answer_saved_payload(sitting, response, now):
    return {
        "question_id": response.question_id,
        "seq": response.seq,
        "saved_at": response.saved_at,
        "server_now": now,
        "seconds_left": sitting.seconds_left(now),
    }


def result_payload(sitting, now, with_review=False):
    """The result; with ``with_review`` the per-question review too, but only when it is allowed now."""
    data = {**result_summary(sitting, now), "result_url": result_url(sitting)}
    if with_review and data["review_available"]:
        data["questions"] = review_items(sitting, now)
    return data
