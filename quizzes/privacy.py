"""Personal data of remote testing (registered in ``QuizzesConfig.ready``, see :mod:`people.privacy`).

* Retention: ``RETENTION_ANSWERS_YEARS`` after a sitting finished, the contents of its answers (what
  the person chose or wrote) and the graders' comments are erased. The sitting itself — score,
  percent, passed, dates, attempt number — and every response's share of the points stay, so results,
  reports and item analysis keep their numbers (an erased answer is stored as ``{}``: still "answered",
  with nothing in it). Sittings waiting for a trainer are left until they are graded.
  A voided sitting (an attempt reset by a manager) is never graded: its answers age from when it
  finished, or from its start when it was voided in progress.
* Anonymizing a person erases their answers and comments the same way, whatever their age, and the
  reasons written in the history of operations on their tests (the history is append-only: this is the
  one path that changes an entry, and only its free text; who did what, and the values, stay).
* «Мои данные»: the person's sittings with their results, their answers in words (question text
  and own answer; a grader's comment only where the result page would show it: never a correct answer
  or a grade of a single question, so the file gives away no key), and the operations of managers on
  their tests (when, what changed in the sitting's result, why; again no correct answer or points of
  one answer).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.privacy import DataSheet, RetentionRule, register_eraser, register_provider, register_rule, yes_no

from .api.review import review_items
from .models import CampaignNotice, PersonOperation, Response, Sitting

ERASED = {}  # an erased answer: it was given, its contents are gone
HOLDS_CONTENT = (Q(answer__isnull=False) & ~Q(answer=ERASED)) | ~Q(grader_comment="")


def _old_responses(cutoff):
    finished = Q(sitting__state=Sitting.State.FINISHED, sitting__finished_at__lt=cutoff)
    voided = Q(sitting__state=Sitting.State.VOID) & (
        Q(sitting__finished_at__lt=cutoff)
        | Q(sitting__finished_at__isnull=True, sitting__started_at__lt=cutoff)
    )
    return Response.objects.filter(finished | voided)


def erase_answers(responses):
    """Erase the contents of these responses (answers and comments); returns how many held any."""
    count = responses.filter(HOLDS_CONTENT).count()
    responses.filter(answer__isnull=False).exclude(answer=ERASED).update(answer=ERASED)
    responses.exclude(grader_comment="").update(grader_comment="")
    return count


def erase_answers_of(user_ids):
    erase_answers(Response.objects.filter(sitting__user_id__in=user_ids))


ERASED_REASON = gettext_lazy("удалено при обезличивании")


def erase_operation_reasons_of(user_ids):
    """The reasons written about these people in the history of operations on their tests: past the
    history's guard (:class:`~quizzes.models.operations.PersonOperationQuerySet` refuses ``update``)."""
    operations = PersonOperation.objects.filter(person_id__in=user_ids)
    models.QuerySet.update(operations, reason=str(ERASED_REASON))


ANSWERS = RetentionRule(
    key="answers",
    label=gettext_lazy("Ответы в тестах и комментарии проверяющих"),
    setting="RETENTION_ANSWERS_YEARS",
    default_years=3,
    counted_from=gettext_lazy("после завершения попытки"),
    outcome=gettext_lazy(
        "Содержимое ответов и комментарии удаляются; баллы, процент и отметка о прохождении теста остаются."
    ),
    count=lambda cutoff: _old_responses(cutoff).filter(HOLDS_CONTENT).count(),
    apply=lambda cutoff, now: erase_answers(_old_responses(cutoff)),
    done=gettext_lazy("очищено"),
    would=gettext_lazy("будет очищено"),
)


def _place(sitting):
    if sitting.campaign_id:
        return sitting.campaign.title
    return sitting.context_label


def my_sittings(user):
    now = timezone.now()
    sittings = list(
        Sitting.objects.filter(user=user).select_related("quiz", "campaign").order_by("started_at", "pk")
    )
    results = DataSheet(
        _("Попытки тестирования"),
        [
            _("№ попытки в системе"),
            _("Тест"),
            _("Где проходили"),
            _("Номер попытки"),
            _("Состояние"),
            _("Начата"),
            _("Завершена"),
            _("Баллы"),
            _("Максимум баллов"),
            _("Результат, %"),
            _("Проходной балл, %"),
            _("Тест пройден"),
        ],
        in_training_record=True,
    )
    answers = DataSheet(
        _("Ответы в тестах"),
        [
            _("№ попытки в системе"),
            _("№ вопроса"),
            _("Вопрос"),
            _("Ваш ответ"),
            _("Комментарий проверяющего"),
        ],
    )
    for sitting in sittings:
        results.rows.append(
            [
                sitting.pk,
                sitting.quiz.title,
                _place(sitting),
                sitting.number,
                sitting.get_state_display(),
                sitting.started_at,
                sitting.finished_at,
                sitting.score,
                sitting.max_score,
                sitting.percent,
                sitting.pass_mark,
                yes_no(sitting.passed),
            ]
        )
        reviewable = sitting.may_review(now)
        for item in review_items(sitting, now):
            comment = item["grader_comment"] if reviewable and not item["withheld"] else ""
            answers.rows.append([sitting.pk, item["number"], item["text"], item["my_answer_text"], comment])
    return [results, answers, my_operations(user)]


def my_operations(user):
    sheet = DataSheet(
        _("Изменения результатов тестирования"),
        [
            _("Когда"),
            _("Где проходили"),
            _("Номер попытки"),
            _("Операция"),
            _("Что изменилось"),
            _("Причина"),
        ],
    )
    operations = PersonOperation.objects.filter(person=user).select_related("campaign", "sitting")
    for operation in operations.order_by("created_at", "pk"):
        sheet.rows.append(
            [
                operation.created_at,
                operation.campaign.title if operation.campaign_id else "",
                operation.sitting.number if operation.sitting_id else None,
                operation.get_kind_display(),
                "; ".join(f"{what}: {was} → {now}" for what, was, now in operation.changes(without_key=True)),
                operation.reason,
            ]
        )
    return sheet


def erase_notices_of(user_ids):
    """The campaign notices shown to these people (their results in words): nobody reads them any more."""
    CampaignNotice.objects.filter(user_id__in=user_ids).delete()


def my_notices(user):
    sheet = DataSheet(_("Уведомления о тестированиях"), [_("Когда"), _("Тестирование"), _("Текст")])
    notices = CampaignNotice.objects.filter(user=user).select_related("campaign").order_by("created_at", "pk")
    sheet.rows.extend([notice.created_at, notice.campaign.title, notice.text] for notice in notices)
    return [sheet]


def register():
    register_rule(ANSWERS)
    register_eraser(erase_answers_of)
    register_eraser(erase_operation_reasons_of)
    register_eraser(erase_notices_of)
    register_provider(my_notices, order=35)
    register_provider(my_sittings, order=30)
