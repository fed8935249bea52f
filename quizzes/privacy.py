"""Personal data of remote testing (registered in ``QuizzesConfig.ready``, see :mod:`people.privacy`).

* Retention: ``RETENTION_ANSWERS_YEARS`` after a sitting finished, the contents of its answers (what
  the person chose or wrote) and the graders' comments are erased. The sitting itself — score,
  percent, passed, dates, attempt number — and every response's share of the points stay, so results,
  reports and item analysis keep their numbers (an erased answer is stored as ``{}``: still "answered",
  with nothing in it). Sittings waiting for a trainer are left until they are graded.
* Anonymizing a person erases their answers and comments the same way, whatever their age.
* «Мои данные»: the person's sittings with their results, and their answers in words (question text
  and own answer; a grader's comment only where the result page would show it: never a correct answer
  or a grade of a single question, so the file gives away no key).
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.privacy import DataSheet, RetentionRule, register_eraser, register_provider, register_rule, yes_no

from .api.review import review_items
from .models import Response, Sitting

ERASED = {}  # an erased answer: it was given, its contents are gone
HOLDS_CONTENT = (Q(answer__isnull=False) & ~Q(answer=ERASED)) | ~Q(grader_comment="")


def _old_responses(cutoff):
    return Response.objects.filter(sitting__state=Sitting.State.FINISHED, sitting__finished_at__lt=cutoff)


def erase_answers(responses):
    """Erase the contents of these responses (answers and comments); returns how many held any."""
    count = responses.filter(HOLDS_CONTENT).count()
    responses.filter(answer__isnull=False).exclude(answer=ERASED).update(answer=ERASED)
    responses.exclude(grader_comment="").update(grader_comment="")
    return count


def erase_answers_of(user_ids):
    erase_answers(Response.objects.filter(sitting__user_id__in=user_ids))


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
    return [results, answers]


def register():
    register_rule(ANSWERS)
    register_eraser(erase_answers_of)
    register_provider(my_sittings, order=30)
