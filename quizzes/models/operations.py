"""Operations of managers on one person's test: allowances and the audited history of every change.

* :class:`AttemptAllowance` — attempts granted to one person on top of the quiz's «число попыток», per
  quiz and context (:mod:`quizzes.contexts`), like the attempts themselves;
* :class:`PersonOperation` — the history: who did what to whose test, when, why, and the values before
  and after. Append-only, like the export audit log: an entry is never changed or deleted.

State changes go through :mod:`quizzes.services.operations` and :mod:`quizzes.services.regrade`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from people.append_only import AppendOnlyModel

from ..exceptions import OperationLogChanged

# Bounds of what a manager may grant one person in one campaign.
MAX_EXTRA_MINUTES = 240
MAX_EXTRA_ATTEMPTS = 5
MAX_REASON_LENGTH = 1000


class AttemptAllowance(models.Model):
    """Attempts granted to one person for one quiz in one context, on top of the quiz's limit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("слушатель"), on_delete=models.CASCADE, related_name="+"
    )
    quiz = models.ForeignKey(
        "quizzes.Quiz", verbose_name=_("тест"), on_delete=models.CASCADE, related_name="attempt_allowances"
    )
    context = models.CharField(_("место прохождения"), max_length=40)
    extra_attempts = models.PositiveSmallIntegerField(
        _("дополнительные попытки"),
        default=0,
        validators=[MaxValueValidator(MAX_EXTRA_ATTEMPTS)],
    )

    class Meta:
        verbose_name = _("дополнительные попытки")
        verbose_name_plural = _("дополнительные попытки")
        constraints = [
            models.UniqueConstraint("user", "quiz", "context", name="attemptallowance_unique_person"),
            models.CheckConstraint(
                condition=models.Q(extra_attempts__lte=MAX_EXTRA_ATTEMPTS),
                name="attemptallowance_bounded",
            ),
        ]

    def __str__(self):
        return f"{self.user}: +{self.extra_attempts}"

    @classmethod
    def extra_for(cls, user, quiz, context):
        """The attempts granted to ``user`` for ``quiz`` in ``context`` (0 when none), in one query."""
        row = cls.objects.filter(user=user, quiz=quiz, context=context).values_list("extra_attempts")[:1]
        return row[0][0] if row else 0


class PersonOperation(AppendOnlyModel):
    """One operation of a manager on one person's test, with its reason and the values it changed."""

    class Kind(models.TextChoices):
        EXTRA_TIME = "extra_time", _("дополнительное время")
        EXTRA_ATTEMPT = "extra_attempt", _("дополнительная попытка")
        RESET = "reset", _("аннулирование попытки")
        OVERRIDE = "override", _("изменение баллов за ответ")
        REGRADE = "regrade", _("пересчёт после исправления ключа")

    created_at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("кто"), on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("кто (как на момент операции)"), max_length=300)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("чей тест"),
        on_delete=models.PROTECT,
        related_name="test_operations",
    )
    campaign = models.ForeignKey(
        "quizzes.TestCampaign",
        verbose_name=_("тестирование"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person_operations",
    )
    sitting = models.ForeignKey(
        "quizzes.Sitting",
        verbose_name=_("попытка"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operations",
    )
    question = models.ForeignKey(
        "quizzes.Question",
        verbose_name=_("вопрос"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("операция"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("причина"), max_length=MAX_REASON_LENGTH)
    before = models.JSONField(_("было"), default=dict, blank=True)
    after = models.JSONField(_("стало"), default=dict, blank=True)

    changed_error = OperationLogChanged

    class Meta:
        verbose_name = _("операция с результатами")
        verbose_name_plural = _("журнал операций с результатами")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThan(Length(Trim("reason")), 0), name="personoperation_reason_given"
            ),
        ]

    def __str__(self):
        return (
            f"{self.created_at:%d.%m.%Y %H:%M} {self.actor_name}: {self.get_kind_display()} ({self.person})"
        )

    def changes(self, without_key=False):
        """``[(what, before, after)]`` in Russian words, for the history tables. ``without_key``: leave
        out what tells the key of a question (its correct answer, the points of one answer)."""
        rows = []
        for name, label in CHANGE_LABELS.items():
            if name not in self.before and name not in self.after:
                continue
            if without_key and name in KEY_VALUES:
                continue
            was, now = self.before.get(name), self.after.get(name)
            if was == now and name not in ALWAYS_SHOWN:
                continue
            rows.append((str(label), _value_text(name, was), _value_text(name, now)))
        return rows


# The values an operation records, in the order the history shows them.
CHANGE_LABELS = {
    "minutes": _("дополнительное время, мин"),
    "deadline": _("срок попытки"),
    "extra_attempts": _("дополнительных попыток"),
    "attempts_left": _("осталось попыток"),
    "correct_answer": _("верный ответ"),
    "points": _("баллы за ответ"),
    "state": _("состояние попытки"),
    "score": _("баллы за попытку"),
    "percent": _("результат, %"),
    "passed": _("тест сдан"),
}
ALWAYS_SHOWN = {"points", "percent"}
KEY_VALUES = {"correct_answer", "points"}
NUMBERS = {"points", "score", "percent"}


def _value_text(name, value):
    if value is None or value == "":
        return "—"
    if name == "passed":
        return gettext("да") if value else gettext("нет")
    if name == "state":
        from .sittings import Sitting

        return str(Sitting.State(value).label) if value in Sitting.State.values else value
    if name in NUMBERS:
        return floatformat(value, "-2")
    if name == "deadline":
        moment = parse_datetime(value)
        return formats.date_format(timezone.localtime(moment), "j E Y, H:i") if moment else value
    return str(value)
