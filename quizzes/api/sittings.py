"""My sittings: resume, save an answer, finish, see the result. Scoped to ``request.user``."""

from django.utils import timezone
from ninja import Router

from ..exceptions import SittingExpired, SittingFinished, SittingInProgress
from ..models import Sitting
from ..services import finish_sitting, save_my_answer
from .errors import ERROR_CODES, not_found, quiz_errors
from .payloads import (
    answer_saved_payload,
    my_sitting_or_404,
    ran_out_of_time,
    result_payload,
    sitting_payload,
)
from .schemas import AnswerIn, AnswerSaved, Error, PositiveId, ResultOut, ResultWithReview, SittingOut

router = Router()


@router.get(
    "/sittings/{sitting_id}",
    url_name="tests_sitting",
    response={200: SittingOut, ERROR_CODES: Error},
    exclude_unset=True,
    summary="Попытка: вопросы, сохранённые ответы, оставшееся время",
)
@quiz_errors
def get_sitting(request, sitting_id: PositiveId):
    now = timezone.now()
    return sitting_payload(my_sitting_or_404(request.user, sitting_id, now), now)


@router.put(
    "/sittings/{sitting_id}/answers/{question_id}",
    url_name="tests_answer",
    response={200: AnswerSaved, ERROR_CODES: Error},
    summary="Сохранить ответ",
)
@quiz_errors
def put_answer(request, sitting_id: PositiveId, question_id: PositiveId, payload: AnswerIn):
    """Idempotent: the answer with the highest ``seq`` wins; a repeated or older one changes nothing.

    409 when the sitting is finished, 410 when its time is up, 422 for an answer of the wrong shape.
    """
    now = timezone.now()
    try:
        response, sitting = save_my_answer(
            request.user, sitting_id, question_id, payload.answer, payload.seq, now=now
        )
    except Sitting.DoesNotExist:
        raise not_found() from None
    except SittingExpired:
        finish_sitting(my_sitting_or_404(request.user, sitting_id, now, finish_overdue=False), now=now)
        raise
    except SittingFinished:
        sitting = my_sitting_or_404(request.user, sitting_id, now, finish_overdue=False)
        if not sitting.accepts_answers_at(now) and ran_out_of_time(sitting):
            raise SittingExpired from None
        raise
    return answer_saved_payload(sitting, response, now)


@router.post(
    "/sittings/{sitting_id}/finish",
    url_name="tests_finish",
    response={200: ResultOut, ERROR_CODES: Error},
    summary="Завершить попытку",
)
@quiz_errors
def finish(request, sitting_id: PositiveId):
    """Idempotent: finishing a finished sitting returns its result again."""
    now = timezone.now()
    sitting = finish_sitting(my_sitting_or_404(request.user, sitting_id, now), now=now)
    return result_payload(sitting, now)


@router.get(
    "/sittings/{sitting_id}/result",
    url_name="tests_result",
    response={200: ResultWithReview, ERROR_CODES: Error},
    exclude_unset=True,
    summary="Результат попытки",
)
@quiz_errors
def result(request, sitting_id: PositiveId):
    """The result. ``questions`` (correct answers, explanations) only when the quiz's review policy
    allows it now; otherwise the field is absent. 409 while the sitting is still in progress."""
    now = timezone.now()
    sitting = my_sitting_or_404(request.user, sitting_id, now)
    if sitting.is_in_progress:
        raise SittingInProgress
    return result_payload(sitting, now, with_review=True)
