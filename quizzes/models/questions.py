"""Questions of the bank: one polymorphic base and a subtype per way of answering.

Every subtype turns itself into a *snapshot* (a plain JSON dict frozen into a sitting) and scores an
answer against a snapshot, so a result never depends on later edits of the question.

Snapshot (server side only)::

    {"id": 17, "type": "single", "text": "...", "points": "1.00", "image": "/media/...",
     "explanation": "...", "legal_norm": "273-ФЗ, ст. 12.1",
     "options": [{"id": "3fa1c2d0", "pk": 5, "text": "..."}], # single, multiple
     "left": [{"id": "0b9e77a1", "pk": 3, "text": "..."}],    # matching: what is matched
     "right": [{"id": "9f2c01ab", "text": "..."}],            # matching: what it is matched to
     "unit": "дней",                                          # numeric
     "key": {...}}                                            # what scoring needs; never sent out

In a sitting, option and matching-item ids are fresh random strings drawn for that sitting
(:meth:`Question.with_opaque_ids`); ``pk`` keeps the bank's id server-side. A question's own snapshot
(the bank, previews) has the bank's integer ids instead.

The public payload (what the browser may see) is a whitelist of that: id, type, text, points,
image, unit, and the ids and texts of options/left/right. Nothing about correctness.

Answers (JSON the browser sends), by type, with exactly these keys:

* ``single``: ``{"choice": "3fa1c2d0"}``
* ``multiple``: ``{"choices": ["3fa1c2d0", "77ab0e12"]}`` (each option at most once)
* ``truefalse``: ``{"value": true}``
* ``short``: ``{"text": "конфликт интересов"}``
* ``numeric``: ``{"value": "12.5"}`` (a string or a number; a decimal comma is fine)
* ``matching``: ``{"pairs": {"0b9e77a1": "9f2c01ab"}}`` (left id → right id or null, each left once)
* ``essay``: ``{"text": "..."}``

``None`` is "no answer" for every type and scores 0. Scoring returns a Decimal fraction 0..1 of the
question's points, or ``None`` when a trainer must grade it (a non-empty essay). An answer of another
shape (extra keys, wrong types, an id the question does not have or spelt differently, an id twice)
raises :class:`InvalidAnswer`; nothing is ignored, and a share above 1 is a bug that raises.
"""

import secrets
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from polymorphic.managers import PolymorphicManager
from polymorphic.models import PolymorphicModel
from polymorphic.query import PolymorphicQuerySet
from taggit.managers import TaggableManager

from ..exceptions import InvalidAnswer, NotRegradable
from ..scoring import (
    MAX_ESSAY_ANSWER,
    ONE,
    ZERO,
    Ids,
    expect_only,
    expect_text,
    normalize_text,
    parse_decimal,
    quantize_fraction,
)
from ..validators import validate_question_image
from .bank import Category, TaggedQuestion

PUBLIC_FIELDS = ("id", "type", "text", "points", "image", "unit")
PUBLIC_LISTS = ("options", "left", "right")
PUBLIC_ITEM_FIELDS = ("id", "text")


class QuestionQuerySet(PolymorphicQuerySet):
    def active(self):
        return self.filter(is_retired=False)

    def in_category(self, category, include_subcategories=True):
        ids = [category.pk, *(category.descendant_ids() if include_subcategories else [])]
        return self.filter(category_id__in=ids)

    def citing(self, legal_norm):
        """Questions whose legal norm mentions the text, e.g. ``citing("273-ФЗ")``."""
        return self.filter(legal_norm__icontains=legal_norm)


class QuestionManager(PolymorphicManager.from_queryset(QuestionQuerySet)):
    pass


class Question(PolymorphicModel):
    kind = ""  # the snapshot "type", set by each subtype
    needs_manual_grading = False

    category = models.ForeignKey(
        Category, verbose_name=_("категория"), on_delete=models.PROTECT, related_name="questions"
    )
    text = models.TextField(_("текст вопроса"))
    points = models.DecimalField(
        _("баллы"),
        max_digits=6,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
    )
    explanation = models.TextField(
        _("пояснение"), blank=True, help_text=_("Показывается при разборе после попытки.")
    )
    legal_norm = models.CharField(
        _("норма права"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("Например, «273-ФЗ, ст. 12.1»."),
    )
    image = models.ImageField(
        _("изображение"),
        upload_to="quizzes/questions/%Y/%m/",
        blank=True,
        validators=[validate_question_image],
        help_text=_("Не больше 2 МБ."),
    )
    is_retired = models.BooleanField(
        _("выведен из обращения"), default=False, help_text=_("Не попадает в новые попытки.")
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    tags = TaggableManager(_("метки"), through=TaggedQuestion, blank=True)

    objects = QuestionManager()

    class Meta:
        verbose_name = _("вопрос")
        verbose_name_plural = _("вопросы")
        ordering = ["pk"]

    def __str__(self):
        return Truncator(self.text).chars(80)

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            touch_quizzes_of(self.pk)

    def snapshot(self):
        """This question frozen as JSON (see the module docstring)."""
        return {
            "id": self.pk,
            "type": self.kind,
            "text": self.text,
            "points": str(self.points),
            "image": self.image.url if self.image else "",
            "explanation": self.explanation,
            "legal_norm": self.legal_norm,
            "key": {},
            **self.snapshot_content(),
        }

    def snapshot_content(self):
        """The subtype's part of the snapshot: options and the scoring ``key``."""
        return {}

    def public_payload(self):
        return public_payload(self.snapshot())

    def score(self, answer):
        return score_snapshot(self.snapshot(), answer)

    @classmethod
    def score_answer(cls, snapshot, answer):
        """Score a non-empty answer against a snapshot of this type (implemented by each subtype).

        The answer must have exactly the type's shape: unknown, repeated or differently spelt ids,
        extra keys and wrong types raise :class:`InvalidAnswer`; nothing is ignored or capped.
        """
        raise NotImplementedError

    @classmethod
    def with_opaque_ids(cls, snapshot, new_id):
        """A copy of ``snapshot`` whose option (item) ids are fresh opaque strings from ``new_id()``,
        for one sitting: neither the ids nor their order say anything about the key. The bank's id of
        each item is kept server-side as ``pk``. Types without options return the snapshot as it is."""
        return snapshot

    @classmethod
    def regraded_key(cls, snapshot, bank):
        """The key of ``bank`` (the question's own snapshot as the bank holds it now) in the ids of
        ``snapshot`` (the question as drawn into a sitting): what a regrade after a key fix scores the
        stored answer against (:mod:`quizzes.services.regrade`).

        Raises :class:`NotRegradable` when the corrected key needs what the person was never shown
        (an option added later). Types without options take the bank's key as it is.
        """
        return dict(bank["key"])

    def problems(self):
        """What keeps this question from being usable (Russian messages); empty when it is fine."""
        return []


def touch_question(question_id):
    """Mark a question as changed when one of its options changes: cached snapshots are keyed by
    ``(pk, updated_at)`` (:mod:`quizzes.services.drawing`)."""
    Question.objects.non_polymorphic().filter(pk=question_id).update(updated_at=timezone.now())
    touch_quizzes_of(question_id)


def touch_quizzes_of(question_id):
    """The quizzes with this fixed question: their cached draw plans hold its version and whether
    it is retired (:meth:`~quizzes.models.Quiz.cached_draw_plan`)."""
    from .quizzes import touch_quizzes  # quizzes.py imports this module

    touch_quizzes(quiz_questions__question=question_id)


class OptionOfQuestion:
    """Saving or deleting an option (a choice, a matching pair) changes its question's version."""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        touch_question(self.question_id)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        touch_question(self.question_id)
        return result


class Choice(OptionOfQuestion, models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("вопрос"), on_delete=models.CASCADE, related_name="choices"
    )
    text = models.TextField(_("вариант ответа"))
    is_correct = models.BooleanField(_("верный"), default=False)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("вариант ответа")
        verbose_name_plural = _("варианты ответа")
        ordering = ["order", "pk"]

    def __str__(self):
        return Truncator(self.text).chars(60)


class ChoiceQuestionMixin:
    """Shared by single and multiple choice: options are :class:`Choice` rows."""

    def snapshot_content(self):
        choices = list(self.choices.all())
        return {
            "options": [{"id": choice.pk, "text": choice.text} for choice in choices],
            "key": {"correct": [choice.pk for choice in choices if choice.is_correct]},
        }

    @staticmethod
    def option_ids(snapshot):
        return Ids(option["id"] for option in snapshot["options"])

    @classmethod
    def regraded_key(cls, snapshot, bank):
        """Options are matched by the bank's id (``pk``; the id itself in sittings from before opaque
        ids): the corrected key is which of the options shown are now marked correct."""
        shown = {option.get("pk", option["id"]): option["id"] for option in snapshot["options"]}
        correct = bank["key"]["correct"]
        if any(pk not in shown for pk in correct):
            raise NotRegradable(_("Верный вариант добавлен в вопрос после попытки: его не показывали."))
        return {**bank["key"], "correct": [shown[pk] for pk in correct]}

    @classmethod
    def with_opaque_ids(cls, snapshot, new_id):
        ids = fresh_ids([option["id"] for option in snapshot["options"]], new_id)
        key = dict(snapshot["key"])
        key["correct"] = [ids[pk] for pk in key["correct"]]
        options = [{**option, "id": ids[option["id"]], "pk": option["id"]} for option in snapshot["options"]]
        return {**snapshot, "options": options, "key": key}


class SingleChoiceQuestion(ChoiceQuestionMixin, Question):
    kind = "single"

    class Meta:
        verbose_name = _("вопрос с одним верным ответом")
        verbose_name_plural = _("вопросы с одним верным ответом")

    @classmethod
    def score_answer(cls, snapshot, answer):
        choice = cls.option_ids(snapshot).get(expect_only(answer, "choice"))
        return ONE if choice in snapshot["key"]["correct"] else ZERO

    def problems(self):
        choices = list(self.choices.all())
        found = []
        if len(choices) < 2:
            found.append(str(_("Нужно не меньше двух вариантов ответа.")))
        if sum(choice.is_correct for choice in choices) != 1:
            found.append(str(_("Верным должен быть ровно один вариант.")))
        return found


class MultipleChoiceQuestion(ChoiceQuestionMixin, Question):
    kind = "multiple"

    class Grading(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("всё или ничего")
        PARTIAL = "partial", _("частичный балл")

    grading = models.CharField(
        _("оценивание"),
        max_length=20,
        choices=Grading.choices,
        default=Grading.ALL_OR_NOTHING,
        help_text=_(
            "Частичный балл: каждый верный выбранный вариант +1/k, каждый неверный −1/k "
            "(k — число верных), но не меньше нуля."
        ),
    )

    class Meta:
        verbose_name = _("вопрос с несколькими верными ответами")
        verbose_name_plural = _("вопросы с несколькими верными ответами")

    def snapshot_content(self):
        content = super().snapshot_content()
        content["key"]["grading"] = self.grading
        return content

    @classmethod
    def score_answer(cls, snapshot, answer):
        chosen = expect_only(answer, "choices")
        if not isinstance(chosen, list):
            raise InvalidAnswer(_("Ответ не распознан."))
        chosen = set(cls.option_ids(snapshot).get_distinct(chosen))
        correct = set(snapshot["key"]["correct"])
        if snapshot["key"]["grading"] == cls.Grading.PARTIAL:
            if not correct:
                return ZERO
            earned = Decimal(len(chosen & correct) - len(chosen - correct)) / len(correct)
            return quantize_fraction(max(earned, ZERO))  # the rule: never below zero
        return ONE if chosen == correct else ZERO

    def problems(self):
        choices = list(self.choices.all())
        found = []
        if len(choices) < 2:
            found.append(str(_("Нужно не меньше двух вариантов ответа.")))
        if not any(choice.is_correct for choice in choices):
            found.append(str(_("Отметьте хотя бы один верный вариант.")))
        return found


class TrueFalseQuestion(Question):
    kind = "truefalse"

    correct_value = models.BooleanField(_("утверждение верно"), default=True)

    class Meta:
        verbose_name = _("вопрос «верно / неверно»")
        verbose_name_plural = _("вопросы «верно / неверно»")

    def snapshot_content(self):
        return {"key": {"value": self.correct_value}}

    @classmethod
    def score_answer(cls, snapshot, answer):
        value = expect_only(answer, "value")
        if not isinstance(value, bool):
            raise InvalidAnswer(_("Выберите «верно» или «неверно»."))
        return ONE if value == snapshot["key"]["value"] else ZERO


class ShortTextQuestion(Question):
    kind = "short"

    accepted_answers = models.TextField(
        _("верные ответы"),
        help_text=_("Каждый вариант с новой строки. Регистр, «ё»/«е» и лишние пробелы не учитываются."),
    )

    class Meta:
        verbose_name = _("вопрос с кратким ответом")
        verbose_name_plural = _("вопросы с кратким ответом")

    @property
    def accepted_variants(self):
        return [line.strip() for line in self.accepted_answers.splitlines() if line.strip()]

    def snapshot_content(self):
        return {"key": {"accepted": self.accepted_variants}}

    @classmethod
    def score_answer(cls, snapshot, answer):
        text = normalize_text(expect_text(expect_only(answer, "text")))
        if not text:
            return ZERO
        accepted = {normalize_text(variant) for variant in snapshot["key"]["accepted"]}
        return ONE if text in accepted else ZERO

    def problems(self):
        return [] if self.accepted_variants else [str(_("Укажите хотя бы один верный ответ."))]


class NumericQuestion(Question):
    kind = "numeric"

    correct_value = models.DecimalField(_("верный ответ"), max_digits=18, decimal_places=6)
    tolerance = models.DecimalField(
        _("допуск"),
        max_digits=18,
        decimal_places=6,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Ответ засчитывается, если отличается от верного не больше чем на допуск."),
    )
    unit = models.CharField(_("единица измерения"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("вопрос с числовым ответом")
        verbose_name_plural = _("вопросы с числовым ответом")

    def snapshot_content(self):
        return {
            "unit": self.unit,
            "key": {"value": str(self.correct_value), "tolerance": str(self.tolerance)},
        }

    @classmethod
    def score_answer(cls, snapshot, answer):
        value = parse_decimal(expect_only(answer, "value"))
        key = snapshot["key"]
        return ONE if abs(value - Decimal(key["value"])) <= Decimal(key["tolerance"]) else ZERO


def new_right_key():
    return secrets.token_hex(4)


class MatchingQuestion(Question):
    kind = "matching"

    class Meta:
        verbose_name = _("вопрос на сопоставление")
        verbose_name_plural = _("вопросы на сопоставление")

    def snapshot_content(self):
        pairs = list(self.pairs.all())
        matched = [pair for pair in pairs if pair.left]
        return {
            "left": [{"id": pair.pk, "text": pair.left} for pair in matched],
            # Sorted by the random key, not by pair order, so positions give nothing away.
            "right": sorted(({"id": pair.right_key, "text": pair.right} for pair in pairs), key=_by_id),
            "key": {"pairs": {str(pair.pk): pair.right_key for pair in matched}},
        }

    @classmethod
    def score_answer(cls, snapshot, answer):
        given = expect_only(answer, "pairs")
        if not isinstance(given, dict):
            raise InvalidAnswer(_("Ответ не распознан."))
        lefts = Ids(item["id"] for item in snapshot["left"])
        rights = Ids(item["id"] for item in snapshot["right"])
        matched = lefts.get_distinct(list(given))  # each left item once, spelt exactly
        key = snapshot["key"]["pairs"]
        correct = sum(
            right is not None and rights.get(right) == key[str(left)]
            for left, right in zip(matched, given.values(), strict=True)
        )
        return quantize_fraction(Decimal(correct) / len(key)) if key else ZERO

    @classmethod
    def regraded_key(cls, snapshot, bank):
        """What is matched is known by the bank's id (``pk``), what it is matched to by its text: a key
        fix moves a text to another pair, and the sitting kept the texts it showed."""
        shown_left = {item.get("pk", item["id"]): item["id"] for item in snapshot["left"]}
        texts = [item["text"] for item in snapshot["right"]]
        shown_right = {
            item["text"]: item["id"] for item in snapshot["right"] if texts.count(item["text"]) == 1
        }
        bank_right = {item["id"]: item["text"] for item in bank["right"]}
        pairs = {}
        for left_pk, right_key in bank["key"]["pairs"].items():
            left = shown_left.get(int(left_pk))
            if left is None:
                continue  # added to the question after the sitting: the person never saw it
            text = bank_right.get(right_key)
            if text not in shown_right:
                raise NotRegradable(_("Пара изменена так, что её ответа не было среди показанных."))
            pairs[str(left)] = shown_right[text]
        if len(pairs) != len(shown_left):
            raise NotRegradable(_("Пара, которую показывали в попытке, удалена из вопроса."))
        return {**bank["key"], "pairs": pairs}

    @classmethod
    def with_opaque_ids(cls, snapshot, new_id):
        lefts = fresh_ids([item["id"] for item in snapshot["left"]], new_id)
        rights = fresh_ids([item["id"] for item in snapshot["right"]], new_id)
        left = [{**item, "id": lefts[item["id"]], "pk": item["id"]} for item in snapshot["left"]]
        right = sorted(({**item, "id": rights[item["id"]]} for item in snapshot["right"]), key=_by_id)
        pairs = {lefts[int(pk)]: rights[right_id] for pk, right_id in snapshot["key"]["pairs"].items()}
        return {**snapshot, "left": left, "right": right, "key": {**snapshot["key"], "pairs": pairs}}

    def problems(self):
        return (
            [] if sum(bool(p.left) for p in self.pairs.all()) >= 2 else [str(_("Нужно не меньше двух пар."))]
        )


class MatchingPair(OptionOfQuestion, models.Model):
    question = models.ForeignKey(
        MatchingQuestion, verbose_name=_("вопрос"), on_delete=models.CASCADE, related_name="pairs"
    )
    left = models.TextField(
        _("что сопоставляется"), blank=True, help_text=_("Пусто — лишний вариант справа.")
    )
    right = models.TextField(_("с чем сопоставляется"))
    right_key = models.CharField(max_length=16, default=new_right_key, editable=False)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("пара для сопоставления")
        verbose_name_plural = _("пары для сопоставления")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint("question", "right_key", name="matchingpair_unique_right_key")]

    def __str__(self):
        return f"{Truncator(self.left).chars(30)} — {Truncator(self.right).chars(30)}"


class EssayQuestion(Question):
    kind = "essay"
    needs_manual_grading = True

    class Meta:
        verbose_name = _("вопрос с развёрнутым ответом")
        verbose_name_plural = _("вопросы с развёрнутым ответом")

    @classmethod
    def score_answer(cls, snapshot, answer):
        text = expect_text(expect_only(answer, "text"), MAX_ESSAY_ANSWER)
        return None if text.strip() else ZERO

    @classmethod
    def regraded_key(cls, snapshot, bank):
        raise NotRegradable(_("Развёрнутый ответ оценивает преподаватель: ключа для пересчёта нет."))


QUESTION_TYPES = {
    cls.kind: cls
    for cls in (
        SingleChoiceQuestion,
        MultipleChoiceQuestion,
        TrueFalseQuestion,
        ShortTextQuestion,
        NumericQuestion,
        MatchingQuestion,
        EssayQuestion,
    )
}


def _by_id(item):
    return item["id"]


def fresh_ids(ids, new_id):
    """``{old id: new opaque id}`` for the items of one question, the new ids distinct."""
    fresh = {}
    taken = set()
    for pk in ids:
        token = new_id()
        while token in taken:
            token = new_id()
        taken.add(token)
        fresh[pk] = token
    return fresh


def score_snapshot(snapshot, answer):
    """Fraction 0..1 of the points earned by ``answer``, or None when a trainer must grade it."""
    if answer is None:
        return ZERO
    return QUESTION_TYPES[snapshot["type"]].score_answer(snapshot, answer)


def public_payload(snapshot):
    """What the browser may see of a snapshot: a whitelist, so new server-side keys never leak."""
    data = {field: snapshot[field] for field in PUBLIC_FIELDS if field in snapshot}
    for name in PUBLIC_LISTS:
        if name in snapshot:
            data[name] = [{field: item[field] for field in PUBLIC_ITEM_FIELDS} for item in snapshot[name]]
    return data
