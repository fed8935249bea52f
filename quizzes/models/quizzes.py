"""A quiz: which questions (fixed and/or drawn at random from categories) and its rules."""

import random
import threading
from collections import OrderedDict

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..exceptions import NotEnoughQuestions, QuizEmpty
from .bank import Category
from .questions import MatchingQuestion, NumericQuestion, Question, ShortTextQuestion


class Quiz(models.Model):
    class GradingMethod(models.TextChoices):
        BEST = "best", _("лучшая попытка")
        LAST = "last", _("последняя попытка")

    class ReviewPolicy(models.TextChoices):
        NEVER = "never", _("не показывать")
        AFTER_ATTEMPT = "after_attempt", _("сразу после попытки")
        AFTER_CLOSE = "after_close", _("после закрытия тестирования")

    title = models.CharField(_("название"), max_length=255)
    description = models.TextField(_("описание"), blank=True)
    questions = models.ManyToManyField(
        Question,
        verbose_name=_("вопросы"),
        through="QuizQuestion",
        related_name="quizzes",
        blank=True,
    )
    shuffle_questions = models.BooleanField(_("перемешивать вопросы"), default=True)
    shuffle_options = models.BooleanField(_("перемешивать варианты ответа"), default=True)
    time_limit = models.PositiveIntegerField(
        _("ограничение времени, мин"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Пусто — без ограничения."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("проходной балл, %"), default=70, validators=[MaxValueValidator(100)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("число попыток"), default=1, help_text=_("0 — без ограничения.")
    )
    grading_method = models.CharField(
        _("засчитывается"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.BEST
    )
    review_policy = models.CharField(
        _("разбор ответов"), max_length=20, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_ATTEMPT
    )
    plan_items = models.ManyToManyField(
        "cms.PlanItem", verbose_name=_("мероприятия плана"), related_name="quizzes", blank=True
    )
    municipal_use = models.BooleanField(
        _("для муниципальных тестирований"),
        default=False,
        help_text=_(
            "Муниципальные менеджеры могут проводить по этому тесту тестирования для служащих своего "
            "муниципального образования."
        ),
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("тест")
        verbose_name_plural = _("тесты")
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def question_count(self):
        """How many questions a sitting gets (fixed active questions plus every draw)."""
        fixed = self.quiz_questions.filter(question__is_retired=False).count()
        return fixed + sum(draw.count for draw in self.draws.all())

    def possible_question_ids(self):
        """Every question a new sitting of this quiz could get: its active fixed questions and every
        active question of its draws' categories."""
        ids = set(
            self.quiz_questions.filter(question__is_retired=False).values_list("question_id", flat=True)
        )
        for draw in self.draws.select_related("category"):
            ids.update(draw.candidates().values_list("pk", flat=True))
        return ids

    def draw_questions(self, rng=None):
        """The questions of one new sitting, as real (subtype) instances with options loaded.

        Fixed questions first in their order, then each draw's random pick; all shuffled if the quiz
        says so. Raises :class:`NotEnoughQuestions` when a category cannot fill its draw.
        """
        chosen = [pk for pk, _updated in self.draw_question_versions(rng, plan=self.draw_plan())]
        by_id = {question.pk: question for question in Question.objects.filter(pk__in=chosen)}
        questions = [by_id[pk] for pk in chosen]
        load_options(questions)
        return questions

    def draw_question_versions(self, rng=None, plan=None):
        """Like :meth:`draw_questions`, but only ``(pk, updated_at)`` of each question, in sitting order.

        No question is loaded, so the caller can take their snapshots from a cache keyed by the
        version. ``plan``: the quiz's :meth:`draw_plan` (default: :meth:`cached_draw_plan`); then one
        query for each draw's category tree and one for its pool.
        """
        rng = rng or random.SystemRandom()
        fixed, draws = plan if plan is not None else self.cached_draw_plan()
        chosen = [pk for pk, _updated in fixed]
        versions = dict(fixed)
        for draw in draws:
            pool = dict(draw.candidates().exclude(pk__in=chosen).values_list("pk", "updated_at"))
            if len(pool) < draw.count:
                category = Category.objects.get(pk=draw.category_id)  # its name as it is now
                raise NotEnoughQuestions(
                    _(
                        "В категории «%(category)s» %(available)s активных вопросов, "
                        "а тест должен взять из неё %(count)s."
                    )
                    % {"category": category.full_name, "available": len(pool), "count": draw.count}
                )
            chosen += rng.sample(sorted(pool), draw.count)
            versions.update(pool)
        if not chosen:
            raise QuizEmpty
        if self.shuffle_questions:
            rng.shuffle(chosen)
        return [(pk, versions[pk]) for pk in chosen]

    def draw_plan(self):
        """What every draw of this quiz starts from, in two queries: its active fixed questions as
        ``[(pk, updated_at)]`` in order, and its draws (with their categories).

        It changes only together with the quiz's ``updated_at``: saving the quiz, a fixed question or
        draw of it, or one of its fixed questions (or their options) bumps it (:func:`touch_quizzes`).
        """
        fixed = list(
            self.quiz_questions.filter(question__is_retired=False)
            .order_by("order", "pk")
            .values_list("question_id", "question__updated_at")
        )
        return fixed, list(self.draws.select_related("category"))

    def cached_draw_plan(self):
        """:meth:`draw_plan`, read once per process and version ``(pk, updated_at)`` of the quiz.

        A synchronized start of thousands of people reads the quiz row anyway (with the campaign) and
        needs no query for the plan. Shared between threads: do not change it. The quiz's own
        ``updated_at`` is the version, so a quiz loaded before a change made elsewhere keeps the plan
        it was loaded with until it is read again; changes made in this process clear the cache.
        Writes that skip ``save()``/``delete()`` (``quiz.questions.add()``, queryset ``update()``)
        bump nothing: call :func:`touch_quizzes` after them (nothing in the project does them).
        """
        key = (self.pk, self.updated_at)
        with _plans_lock:
            plan = _plans.get(key)
            if plan is not None:
                _plans.move_to_end(key)
                return plan
        plan = self.draw_plan()
        with _plans_lock:
            _plans[key] = plan
            while len(_plans) > PLAN_CACHE_SIZE:
                _plans.popitem(last=False)
        return plan


PLAN_CACHE_SIZE = 256  # quizzes
_plans = OrderedDict()
_plans_lock = threading.Lock()


def clear_plan_cache():
    with _plans_lock:
        _plans.clear()


def touch_quizzes(**filters):
    """Mark the quizzes matching ``filters`` as changed: their draw plans are cached by version
    (:meth:`Quiz.cached_draw_plan`). Call it after the change is written."""
    Quiz.objects.filter(**filters).update(updated_at=timezone.now())
    clear_plan_cache()  # and at once in this process, whatever quiz objects it still holds


def load_options(questions):
    """Load the options of many questions of mixed types in two queries (not two per question)."""
    prefetch_related_objects(questions, "choices")
    prefetch_related_objects([q for q in questions if isinstance(q, MatchingQuestion)], "pairs")
    prefetch_related_objects([q for q in questions if isinstance(q, ShortTextQuestion)], "short_answers")
    prefetch_related_objects([q for q in questions if isinstance(q, NumericQuestion)], "numeric_answers")


class QuizPlanPart(models.Model):
    """A fixed question or a draw of a quiz: saving or deleting one changes the quiz's draw plan."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        touch_quizzes(pk=self.quiz_id)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        touch_quizzes(pk=self.quiz_id)
        return result


class QuizQuestion(QuizPlanPart):
    quiz = models.ForeignKey(
        Quiz, verbose_name=_("тест"), on_delete=models.CASCADE, related_name="quiz_questions"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("вопрос"), on_delete=models.PROTECT, related_name="quiz_questions"
    )
    order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("вопрос теста")
        verbose_name_plural = _("вопросы теста")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint("quiz", "question", name="quizquestion_unique_question")]

    def __str__(self):
        return str(self.question)


class QuizDraw(QuizPlanPart):
    """Take ``count`` random active questions from a category (and, if asked, its subcategories)."""

    quiz = models.ForeignKey(Quiz, verbose_name=_("тест"), on_delete=models.CASCADE, related_name="draws")
    category = models.ForeignKey(
        Category, verbose_name=_("категория"), on_delete=models.PROTECT, related_name="draws"
    )
    count = models.PositiveSmallIntegerField(_("число вопросов"), validators=[MinValueValidator(1)])
    include_subcategories = models.BooleanField(_("включая подкатегории"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("случайная выборка")
        verbose_name_plural = _("случайные выборки")
        ordering = ["order", "pk"]

    def __str__(self):
        return _("%(count)s из «%(category)s»") % {"count": self.count, "category": self.category}

    def candidates(self):
        return Question.objects.active().in_category(self.category, self.include_subcategories)
