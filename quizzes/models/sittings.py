"""Sittings (one person's attempt at a quiz) and their responses.

A sitting carries a frozen snapshot of its questions, so neither later edits of the bank nor of the
quiz change what the person saw or how it is scored. State changes go through
:mod:`quizzes.services.sittings`; this module holds the data and the pure computations.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from ..contexts import context_label
from ..scoring import ZERO, quantize_score
from .questions import public_payload
from .quizzes import Quiz

# Answers that left the browser just before the deadline are still accepted this long after it.
ANSWER_GRACE = datetime.timedelta(seconds=10)


class QuestionSnapshot(models.Func):
    """The snapshot of one question of a sitting, read in the database (not the whole snapshot).

    Django's key transforms take a key of digits for an array index, so the key is quoted here.
    """

    output_field = models.JSONField()

    def __init__(self, question_id, **extra):
        self.key = str(question_id)
        if not self.key.isdigit():
            raise ValueError("a question id is digits")
        super().__init__(F("snapshot"), **extra)

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"({column} -> %s)", [*params, self.key]

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"JSON_EXTRACT({column}, %s)", [*params, f'$."{self.key}"']


class SittingQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(state=Sitting.State.IN_PROGRESS)

    def finished(self):
        return self.filter(state=Sitting.State.FINISHED)

    def not_void(self):
        """Every sitting but the voided ones (an attempt lost to a power cut, reset by a manager)."""
        return self.exclude(state=Sitting.State.VOID)

    def overdue(self, now):
        """In progress, and even a late answer could no longer be saved."""
        return self.in_progress().filter(deadline__lt=now - ANSWER_GRACE)

    def counted(self):
        """Per person, quiz and context, the one finished sitting that counts: the best or the last."""
        best_first = Case(
            When(quiz__grading_method=Quiz.GradingMethod.BEST, then=F("percent")),
            default=Value(ZERO),
            output_field=models.DecimalField(max_digits=6, decimal_places=2),
        )
        counted = (
            Sitting.objects.finished()
            .filter(user=OuterRef("user"), quiz=OuterRef("quiz"), context=OuterRef("context"))
            .order_by(best_first.desc(), "-finished_at", "-pk")
            .values("pk")[:1]
        )
        return self.finished().filter(pk=Subquery(counted))

    def result_for(self, user, quiz, context):
        """The sitting that counts for this person and quiz in ``context`` (:mod:`quizzes.contexts`),
        or None."""
        return self.counted().filter(user=user, quiz=quiz, context=context).first()

    def in_context(self, user, quiz, context):
        """The person's sittings of ``quiz`` taken in ``context``: what attempts are numbered over.

        Voided sittings are among them (they keep their numbers) but use up no attempt:
        :meth:`not_void`."""
        return self.filter(user=user, quiz=quiz, context=context)


class Sitting(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("идёт")
        NEEDS_GRADING = "needs_grading", _("ожидает проверки")
        FINISHED = "finished", _("завершена")
        # Reset by a manager (an attempt lost to a power cut): kept in the history, never counted as
        # a result or an attempt used (quizzes.services.operations.void_sitting).
        VOID = "void", _("аннулирована")

    # No index of their own for the person and the campaign: the unique (user, quiz, context, number)
    # and the index (campaign, user) lead with them. Two indexes fewer to write at every start
    # (the synchronized start, docs/performance.md).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("слушатель"),
        on_delete=models.PROTECT,
        related_name="sittings",
        db_index=False,
    )
    quiz = models.ForeignKey(Quiz, verbose_name=_("тест"), on_delete=models.PROTECT, related_name="sittings")
    campaign = models.ForeignKey(
        "quizzes.TestCampaign",
        verbose_name=_("тестирование"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sittings",
        db_index=False,
    )
    context = models.CharField(
        _("место прохождения"),
        max_length=40,
        blank=True,
        default="",
        help_text=_("Тестирование, курс, урок или мероприятие, в котором начата попытка."),
    )
    number = models.PositiveSmallIntegerField(_("номер попытки"), default=1)
    state = models.CharField(_("состояние"), max_length=20, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField(_("начата"))
    deadline = models.DateTimeField(_("срок"), null=True, blank=True)
    finished_at = models.DateTimeField(_("завершена"), null=True, blank=True)
    question_order = models.JSONField(_("порядок вопросов"), default=list)
    snapshot = models.JSONField(_("вопросы попытки"), default=dict)
    pass_mark = models.PositiveSmallIntegerField(_("проходной балл, %"))
    score = models.DecimalField(_("баллы"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("максимум баллов"), max_digits=8, decimal_places=2, default=0)
    percent = models.DecimalField(_("результат, %"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("тест пройден"), null=True, blank=True)

    objects = SittingQuerySet.as_manager()

    class Meta:
        verbose_name = _("попытка")
        verbose_name_plural = _("попытки")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "user",
                "quiz",
                "context",
                condition=Q(state="in_progress"),
                name="sitting_one_in_progress_per_context",
            ),
            models.UniqueConstraint(
                "user", "quiz", "context", "number", name="sitting_unique_number_in_context"
            ),
            # The campaign is also in the context key: the two can never disagree.
            models.CheckConstraint(
                condition=Q(campaign__isnull=True)
                | Q(context=Concat(Value("campaign:"), Cast("campaign_id", models.CharField()))),
                name="sitting_campaign_in_context",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "deadline"], name="sitting_state_deadline"),
            models.Index(fields=["campaign", "user"], name="sitting_campaign_user"),
        ]

    def __str__(self):
        return _("%(user)s — %(quiz)s, попытка %(number)s") % {
            "user": self.user,
            "quiz": self.quiz,
            "number": self.number,
        }

    @property
    def context_label(self):
        return context_label(self.context)

    @property
    def is_in_progress(self):
        return self.state == self.State.IN_PROGRESS

    @property
    def is_void(self):
        return self.state == self.State.VOID

    def questions(self):
        """Snapshots of this sitting's questions in the order the person sees them."""
        return [self.snapshot[str(pk)] for pk in self.question_order]

    def public_questions(self):
        return [public_payload(question) for question in self.questions()]

    def question_snapshot(self, question_id):
        """The snapshot of one question of this sitting, or None when the sitting has no such question."""
        return self.snapshot.get(str(question_id))

    def accepts_answers_at(self, now):
        return self.deadline is None or now <= self.deadline + ANSWER_GRACE

    def seconds_left(self, now):
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - now).total_seconds()))

    def finish_time(self, now):
        """When a sitting finished at ``now`` counts as finished: never later than its deadline."""
        return min(now, self.deadline) if self.deadline else now

    def total_points(self):
        return quantize_score(sum((Decimal(q["points"]) for q in self.snapshot.values()), ZERO))

    def fractions(self):
        """``{question_id: fraction}`` of the stored responses (None: waiting for a trainer)."""
        return dict(self.responses.values_list("question_id", "fraction"))

    def apply_result(self, fractions):
        """Set score, percent, passed and state from ``{question_id: fraction or None}``.

        Questions without a response score 0; any ``None`` (an essay not yet graded) leaves the
        sitting waiting for a trainer with no score.
        """
        self.max_score = self.total_points()
        if any(fraction is None for fraction in fractions.values()):
            self.state = self.State.NEEDS_GRADING
            self.score = self.percent = self.passed = None
            return
        earned = sum(
            (Decimal(self.snapshot[str(pk)]["points"]) * fraction for pk, fraction in fractions.items()),
            ZERO,
        )
        self.score = quantize_score(earned)
        if not ZERO <= self.score <= self.max_score:
            raise ValueError(f"a score of {self.score} of {self.max_score} points is a scoring bug")
        self.percent = quantize_score(self.score * 100 / self.max_score) if self.max_score else ZERO
        self.passed = self.percent >= self.pass_mark
        self.state = self.State.FINISHED

    def may_review(self, now=None):
        """May the person see the correct answers and explanations of this sitting?"""
        if self.state != self.State.FINISHED:
            return False
        policy = self.quiz.review_policy
        if policy == Quiz.ReviewPolicy.AFTER_ATTEMPT:
            return True
        if policy == Quiz.ReviewPolicy.AFTER_CLOSE:
            # Outside a campaign there is nothing to wait for; inside one, everybody must be done.
            return self.campaign_id is None or self.campaign.has_closed(now)
        return False


class ResponseQuerySet(models.QuerySet):
    def awaiting_grading(self):
        """Answers a trainer still has to grade, in finished sittings."""
        return self.filter(
            sitting__state=Sitting.State.NEEDS_GRADING, fraction__isnull=True, answer__isnull=False
        )


class Response(models.Model):
    sitting = models.ForeignKey(
        Sitting, verbose_name=_("попытка"), on_delete=models.CASCADE, related_name="responses"
    )
    question = models.ForeignKey(
        "quizzes.Question", verbose_name=_("вопрос"), on_delete=models.PROTECT, related_name="responses"
    )
    answer = models.JSONField(_("ответ"), null=True, blank=True)
    seq = models.PositiveBigIntegerField(_("номер сохранения"), default=0)
    saved_at = models.DateTimeField(_("сохранён"))
    fraction = models.DecimalField(
        _("доля балла"), max_digits=5, decimal_places=4, null=True, blank=True, help_text=_("От 0 до 1.")
    )
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("проверяющий"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="graded_responses",
    )
    graded_at = models.DateTimeField(_("проверен"), null=True, blank=True)
    grader_comment = models.TextField(_("комментарий проверяющего"), blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("ответ")
        verbose_name_plural = _("ответы")
        ordering = ["sitting", "pk"]
        constraints = [models.UniqueConstraint("sitting", "question", name="response_unique_question")]

    def __str__(self):
        return _("Ответ на вопрос %(question)s") % {"question": self.question_id}

    @property
    def needs_grading(self):
        return self.fraction is None and self.answer is not None
