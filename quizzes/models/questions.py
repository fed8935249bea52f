"""Questions of the bank: one polymorphic base and a subtype per way of answering.

Every subtype turns itself into a *snapshot* (a plain JSON dict frozen into a sitting) and scores an
answer against a snapshot, so a result never depends on later edits of the question.

Snapshot (server side only)::

    {"id": 17, "type": "single", "text": "...", "format": "html", "points": "1.00", "image": "/media/...",
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
image, unit, and the ids and texts of options/left/right, plus ``html``: the text rendered in its
format and sanitised (:mod:`quizzes.richtext`). Nothing about correctness (no fractions, no feedback).

Keys hold Moodle's grading facts: ``fractions`` of the options (single, multiple), graded ``answers``
(short: text and fraction; numeric: value, tolerance, fraction). Sittings frozen before them keep their
older keys and are scored by their older rules; :meth:`Question.current_key` spells such a key the new way.

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

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from polymorphic.managers import PolymorphicManager
from polymorphic.models import PolymorphicModel
from polymorphic.query import PolymorphicQuerySet
from taggit.managers import TaggableManager

from .. import richtext
from ..exceptions import InvalidAnswer, NotRegradable
from ..scoring import (
    FRACTION_QUANTUM,
    MAX_ESSAY_ANSWER,
    ONE,
    WEIGHT_SLACK,
    ZERO,
    Ids,
    expect_only,
    expect_text,
    matches_wildcard,
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


class TextFormat(models.TextChoices):
    """Moodle's text formats (FORMAT_PLAIN, FORMAT_HTML, FORMAT_MARKDOWN, FORMAT_MOODLE)."""

    PLAIN = richtext.PLAIN, _("обычный текст")
    HTML = richtext.HTML, _("HTML")
    MARKDOWN = richtext.MARKDOWN, _("Markdown")
    MOODLE_AUTO = richtext.MOODLE_AUTO, _("автоформат Moodle")


def fraction_field(verbose_name=None, default=0, **kwargs):
    """A share of the question's points for one answer, -1..1, kept to 7 places as Moodle keeps it."""
    return models.DecimalField(
        verbose_name or _("доля баллов"),
        max_digits=8,
        decimal_places=7,
        default=default,
        validators=[MinValueValidator(-1), MaxValueValidator(1)],
        **kwargs,
    )


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
    name = models.CharField(
        _("название"),
        max_length=255,
        blank=True,
        help_text=_("Краткое название в банке (в Moodle — «Название вопроса»)."),
    )
    id_number = models.CharField(
        _("идентификатор"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_(
            "Идентификатор вопроса (в Moodle — «Идентификационный номер»); "
            "переносится при импорте и экспорте."
        ),
    )
    text_format = models.CharField(
        _("формат текста"),
        max_length=20,
        choices=TextFormat.choices,
        default=TextFormat.PLAIN,
        help_text=_("Как показывать текст вопроса, вариантов и пояснения."),
    )
    # Moodle's combined feedback (single, multiple, matching): shown in the review after the per-answer
    # feedback, by how the answer scored; in the question's text format.
    correct_feedback = models.TextField(_("отзыв на верный ответ"), blank=True)
    partially_correct_feedback = models.TextField(_("отзыв на частично верный ответ"), blank=True)
    incorrect_feedback = models.TextField(_("отзыв на неверный ответ"), blank=True)
    show_num_correct = models.BooleanField(
        _("показывать число верных ответов"),
        default=False,
        help_text=_("Как «Показывать количество правильных ответов» в Moodle; переносится при обмене."),
    )
    hints = models.JSONField(
        _("подсказки Moodle"),
        default=list,
        blank=True,
        editable=False,
        help_text=_(
            "Подсказки из Moodle XML (<hint>): хранятся и выгружаются обратно, в тестах не показываются. "
            'Каждая — {"text", "format", "shownumcorrect", "clearwrong", "options"}.'
        ),
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
        return Truncator(self.plain_text).chars(80)

    @property
    def plain_text(self):
        """The words of the text without its markup (for listings and item analysis)."""
        return richtext.to_plain(self.text, self.text_format)

    @property
    def html(self):
        """The text rendered in its format and sanitised."""
        return richtext.to_html(self.text, self.text_format)

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
            "format": self.text_format,
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

    def combined_feedback_key(self):
        """``{"combined_feedback": {"correct": …, "partially_correct": …, "incorrect": …}}`` (the non-empty
        texts) for the key, or ``{}``: shown in the review only, so it lives in the key."""
        texts = {
            "correct": self.correct_feedback,
            "partially_correct": self.partially_correct_feedback,
            "incorrect": self.incorrect_feedback,
        }
        texts = {name: text for name, text in texts.items() if text}
        return {"combined_feedback": texts} if texts else {}

    @classmethod
    def feedback_for(cls, snapshot, answer):
        """The trainer's feedback on ``answer`` (Moodle's per-answer feedback), texts as written: shown
        in the review only, so it lives in the key, never sent while the sitting runs."""
        return []

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
    def current_key(cls, snapshot):
        """The snapshot's key in today's spelling: a sitting started before a key format changed keeps
        its key as it was, and this is what the same meaning looks like now (a regrade compares it with
        the bank's key, so an old sitting is not reported as changed when only the spelling differs)."""
        return snapshot["key"]

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
    fraction = fraction_field(
        help_text=_(
            "1 — полный балл, 0,5 — половина, 0 — неверный; отрицательная доля — штраф (как в Moodle)."
        )
    )
    feedback = models.TextField(_("отзыв на вариант"), blank=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("вариант ответа")
        verbose_name_plural = _("варианты ответа")
        ordering = ["order", "pk"]

    def __str__(self):
        return Truncator(self.text).chars(60)

    @property
    def is_correct(self):
        """A correct option: one that earns points when chosen."""
        return self.fraction > 0


def fraction_text(value):
    """A fraction as the snapshot keeps it: "1", "0.5", "-0.3333333" (7 places at most, no trailing zeros)."""
    text = format(Decimal(value).quantize(FRACTION_QUANTUM).normalize(), "f")
    return "0" if text in ("-0", "") else text


class ChoiceQuestionMixin:
    """Shared by single and multiple choice: options are :class:`Choice` rows with Moodle's fractions.

    The key holds ``fractions`` (option id → fraction, options with fraction 0 left out) and ``correct``
    (the options that earn full marks in single choice, any points in multiple choice: what the review
    names as the correct answer). Sittings started before fractions have only ``correct``; they keep
    their old rule (:meth:`legacy_fractions`).
    """

    def snapshot_content(self):
        choices = list(self.choices.all())
        key = {
            "correct": [choice.pk for choice in choices if self.counts_as_correct(choice.fraction)],
            "fractions": {
                str(choice.pk): fraction_text(choice.fraction) for choice in choices if choice.fraction
            },
        }
        feedback = {str(choice.pk): choice.feedback for choice in choices if choice.feedback}
        if feedback:
            key["feedback"] = feedback
        key.update(self.combined_feedback_key())
        return {"options": [{"id": choice.pk, "text": choice.text} for choice in choices], "key": key}

    @classmethod
    def feedback_for(cls, snapshot, answer):
        feedback = snapshot["key"].get("feedback", {})
        chosen = [answer.get("choice")] if "choice" in answer else answer.get("choices") or []
        return [feedback[str(pk)] for pk in chosen if str(pk) in feedback]

    @staticmethod
    def counts_as_correct(fraction):
        return fraction > 0

    @staticmethod
    def option_ids(snapshot):
        return Ids(option["id"] for option in snapshot["options"])

    @classmethod
    def fractions(cls, snapshot):
        """``{option id: Decimal fraction}`` of the options that have one (ids as the snapshot has them)."""
        key = snapshot["key"]
        if "fractions" not in key:
            return cls.legacy_fractions(snapshot)
        by_name = {str(option["id"]): option["id"] for option in snapshot["options"]}
        return {by_name[name]: Decimal(value) for name, value in key["fractions"].items() if name in by_name}

    @classmethod
    def legacy_fractions(cls, snapshot):
        return dict.fromkeys(snapshot["key"]["correct"], ONE)

    @classmethod
    def current_key(cls, snapshot):
        key = dict(snapshot["key"])
        key["fractions"] = {str(pk): fraction_text(value) for pk, value in cls.fractions(snapshot).items()}
        return key

    @classmethod
    def regraded_key(cls, snapshot, bank):
        """Options are matched by the bank's id (``pk``; the id itself in sittings from before opaque
        ids): the corrected key is the fractions the bank gives now to the options shown."""
        shown = {option.get("pk", option["id"]): option["id"] for option in snapshot["options"]}
        fractions = {int(pk): value for pk, value in bank["key"]["fractions"].items()}
        if any(pk not in shown for pk in fractions):
            raise NotRegradable(_("Верный вариант добавлен в вопрос после попытки: его не показывали."))
        key = {
            **bank["key"],
            "correct": [shown[pk] for pk in bank["key"]["correct"]],
            "fractions": {str(shown[pk]): value for pk, value in fractions.items()},
        }
        if "feedback" in key:  # feedback of options not shown has nowhere to go
            feedback = {int(pk): text for pk, text in key["feedback"].items()}
            key["feedback"] = {str(shown[pk]): text for pk, text in feedback.items() if pk in shown}
        return key

    @classmethod
    def with_opaque_ids(cls, snapshot, new_id):
        ids = fresh_ids([option["id"] for option in snapshot["options"]], new_id)
        key = dict(snapshot["key"])
        key["correct"] = [ids[pk] for pk in key["correct"]]
        by_name = {str(pk): token for pk, token in ids.items()}
        for part in ("fractions", "feedback"):
            if part in key:
                key[part] = {by_name[name]: value for name, value in key[part].items()}
        options = [{**option, "id": ids[option["id"]], "pk": option["id"]} for option in snapshot["options"]]
        return {**snapshot, "options": options, "key": key}

    def option_problems(self, choices):
        found = []
        if len(choices) < 2:
            found.append(str(_("Нужно не меньше двух вариантов ответа.")))
        if any(not -1 <= choice.fraction <= 1 for choice in choices):
            found.append(str(_("Доля баллов варианта должна быть от −1 до 1.")))
        return found


class SingleChoiceQuestion(ChoiceQuestionMixin, Question):
    """One option is chosen and earns its fraction (Moodle: several options may give full or partial
    credit). A negative fraction scores 0 here: a question never takes points from the rest of the test."""

    kind = "single"

    class Meta:
        verbose_name = _("вопрос с одним верным ответом")
        verbose_name_plural = _("вопросы с одним верным ответом")

    @staticmethod
    def counts_as_correct(fraction):
        return fraction == 1

    @classmethod
    def score_answer(cls, snapshot, answer):
        choice = cls.option_ids(snapshot).get(expect_only(answer, "choice"))
        return quantize_fraction(max(cls.fractions(snapshot).get(choice, ZERO), ZERO))

    def problems(self):
        choices = list(self.choices.all())
        found = self.option_problems(choices)
        if not any(choice.fraction == 1 for choice in choices):
            found.append(str(_("Хотя бы один вариант должен давать полный балл (долю 1).")))
        if any(choice.fraction < 0 for choice in choices):
            found.append(str(_("В вопросе с одним ответом доля варианта не может быть отрицательной.")))
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
            "Частичный балл (правило Moodle): сумма долей выбранных вариантов, но не меньше 0 и не больше "
            "полного балла. Всё или ничего: полный балл, только если выбраны ровно все варианты "
            "с положительной долей."
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
    def legacy_fractions(cls, snapshot):
        """Sittings from before fractions: +1/k for each correct option, -1/k for each wrong one."""
        correct = snapshot["key"]["correct"]
        if not correct:
            return {}
        weight = Decimal(1) / len(correct)
        return {
            option["id"]: weight if option["id"] in correct else -weight for option in snapshot["options"]
        }

    @classmethod
    def score_answer(cls, snapshot, answer):
        chosen = expect_only(answer, "choices")
        if not isinstance(chosen, list):
            raise InvalidAnswer(_("Ответ не распознан."))
        chosen = set(cls.option_ids(snapshot).get_distinct(chosen))
        fractions = cls.fractions(snapshot)
        if snapshot["key"]["grading"] == cls.Grading.PARTIAL:
            # Moodle's rule for multiple answers: the sum of the chosen options' fractions, clamped to
            # 0..1 (qtype_multichoice_multi_question::grade_response).
            earned = sum((fractions.get(pk, ZERO) for pk in chosen), ZERO)
            return quantize_fraction(min(max(earned, ZERO), ONE))
        correct = {pk for pk, value in fractions.items() if value > 0}
        return ONE if chosen == correct else ZERO

    def problems(self):
        choices = list(self.choices.all())
        found = self.option_problems(choices)
        positive = [choice.fraction for choice in choices if choice.fraction > 0]
        if not positive:
            found.append(str(_("Хотя бы один вариант должен давать баллы (положительная доля).")))
        elif self.grading == self.Grading.PARTIAL and abs(sum(positive) - 1) > WEIGHT_SLACK:
            found.append(
                str(_("Сумма положительных долей должна быть 1 (100 %%), а здесь %(total)s."))
                % {"total": fraction_text(sum(positive))}
            )
        return found


class TrueFalseQuestion(Question):
    kind = "truefalse"

    correct_value = models.BooleanField(_("утверждение верно"), default=True)
    feedback_true = models.TextField(_("отзыв на ответ «верно»"), blank=True)
    feedback_false = models.TextField(_("отзыв на ответ «неверно»"), blank=True)

    class Meta:
        verbose_name = _("вопрос «верно / неверно»")
        verbose_name_plural = _("вопросы «верно / неверно»")

    def snapshot_content(self):
        key = {"value": self.correct_value}
        if self.feedback_true or self.feedback_false:
            key["feedback"] = {"true": self.feedback_true, "false": self.feedback_false}
        return {"key": key}

    @classmethod
    def feedback_for(cls, snapshot, answer):
        text = snapshot["key"].get("feedback", {}).get("true" if answer.get("value") else "false", "")
        return [text] if text else []

    @classmethod
    def score_answer(cls, snapshot, answer):
        value = expect_only(answer, "value")
        if not isinstance(value, bool):
            raise InvalidAnswer(_("Выберите «верно» или «неверно»."))
        return ONE if value == snapshot["key"]["value"] else ZERO


class ShortTextQuestion(Question):
    """Graded answers, each with a fraction; the first that matches the response gives its fraction
    (Moodle's first-matching-answer rule). ``*`` in an answer stands for any characters (``\\*`` is the
    asterisk itself); case is ignored unless ``case_sensitive``; with ``loose_spelling`` «ё» and «е» and
    runs of spaces are not told apart either (our rule, not Moodle's)."""

    kind = "short"

    case_sensitive = models.BooleanField(
        _("учитывать регистр"), default=False, help_text=_("Как «Чувствительность к регистру» в Moodle.")
    )
    loose_spelling = models.BooleanField(
        _("не различать «ё» и «е» и лишние пробелы"),
        default=True,
        help_text=_("В Moodle такого правила нет: вопросы из файлов Moodle импортируются без него."),
    )

    class Meta:
        verbose_name = _("вопрос с кратким ответом")
        verbose_name_plural = _("вопросы с кратким ответом")

    @property
    def accepted_variants(self):
        """The answers that give full marks."""
        return [answer.text for answer in self.short_answers.all() if answer.fraction == 1]

    def snapshot_content(self):
        answers = list(self.short_answers.all())
        return {
            "key": {
                "accepted": [answer.text for answer in answers if answer.fraction == 1],
                "answers": [
                    {
                        "text": answer.text,
                        "fraction": fraction_text(answer.fraction),
                        **({"feedback": answer.feedback} if answer.feedback else {}),
                    }
                    # Every answer in order, 0-fraction ones too: the first that matches wins (Moodle's
                    # rule), so a wrong answer with feedback scores 0 and shows its feedback.
                    for answer in answers
                ],
                "case_sensitive": self.case_sensitive,
                "loose_spelling": self.loose_spelling,
            }
        }

    @classmethod
    def current_key(cls, snapshot):
        key = snapshot["key"]
        if "answers" in key:
            return key
        return {
            **key,
            "answers": [{"text": text.replace("*", "\\*"), "fraction": "1"} for text in key["accepted"]],
            "case_sensitive": False,
            "loose_spelling": True,
        }

    @classmethod
    def score_answer(cls, snapshot, answer):
        text = expect_text(expect_only(answer, "text"))
        key = snapshot["key"]
        if "answers" not in key:  # a sitting from before graded answers: its rule as it was
            text = normalize_text(text)
            if not text:
                return ZERO
            accepted = {normalize_text(variant) for variant in key["accepted"]}
            return ONE if text in accepted else ZERO
        if not text.strip():
            return ZERO
        item = cls.matching_answer(key, text)
        return ZERO if item is None else quantize_fraction(max(Decimal(item["fraction"]), ZERO))

    @staticmethod
    def matching_answer(key, text):
        """The first answer the response matches, in order, 0-fraction ones included (Moodle's rule,
        qtype_shortanswer's first-matching-answer grading), or None."""
        for item in key["answers"]:
            if matches_wildcard(text, item["text"], key["case_sensitive"], key["loose_spelling"]):
                return item
        return None

    @classmethod
    def feedback_for(cls, snapshot, answer):
        text = answer.get("text")
        if "answers" not in snapshot["key"] or not isinstance(text, str) or not text.strip():
            return []
        item = cls.matching_answer(snapshot["key"], text)
        return [item["feedback"]] if item and item.get("feedback") else []

    def problems(self):
        answers = list(self.short_answers.all())
        if not any(answer.fraction == 1 for answer in answers):
            return [str(_("Укажите хотя бы один ответ, дающий полный балл."))]
        return []


class NumericQuestion(Question):
    """Graded answers (value ± tolerance, fraction); the first that contains the number gives its fraction
    (Moodle's rule). An answer without a value matches any number (Moodle's ``*``)."""

    kind = "numeric"

    unit = models.CharField(_("единица измерения"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("вопрос с числовым ответом")
        verbose_name_plural = _("вопросы с числовым ответом")

    def snapshot_content(self):
        answers = list(self.numeric_answers.all())
        full = next((a for a in answers if a.fraction == 1 and a.value is not None), None)
        return {
            "unit": self.unit,
            "key": {
                "value": str(full.value) if full else "",
                "tolerance": str(full.tolerance) if full else "0",
                "answers": [
                    {
                        "value": None if answer.value is None else str(answer.value),
                        "tolerance": str(answer.tolerance),
                        "fraction": fraction_text(answer.fraction),
                        **({"feedback": answer.feedback} if answer.feedback else {}),
                    }
                    for answer in answers
                ],
            },
        }

    @classmethod
    def current_key(cls, snapshot):
        key = snapshot["key"]
        if "answers" in key:
            return key
        return {**key, "answers": [{"value": key["value"], "tolerance": key["tolerance"], "fraction": "1"}]}

    @classmethod
    def score_answer(cls, snapshot, answer):
        value = parse_decimal(expect_only(answer, "value"))
        item = cls.matching_answer(snapshot, value)
        return ZERO if item is None else quantize_fraction(max(Decimal(item["fraction"]), ZERO))

    @classmethod
    def matching_answer(cls, snapshot, value):
        """The first graded answer whose range holds the number (Moodle's rule), or None."""
        for item in cls.current_key(snapshot)["answers"]:
            if item["value"] is None or abs(value - Decimal(item["value"])) <= Decimal(item["tolerance"]):
                return item
        return None

    @classmethod
    def feedback_for(cls, snapshot, answer):
        try:
            value = parse_decimal(answer.get("value"))
        except InvalidAnswer:
            return []
        item = cls.matching_answer(snapshot, value)
        return [item["feedback"]] if item and item.get("feedback") else []

    def problems(self):
        answers = list(self.numeric_answers.all())
        if not any(answer.fraction == 1 and answer.value is not None for answer in answers):
            return [str(_("Укажите хотя бы один числовой ответ, дающий полный балл."))]
        return []


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
            "key": {
                "pairs": {str(pair.pk): pair.right_key for pair in matched},
                **self.combined_feedback_key(),
            },
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


class ShortAnswer(OptionOfQuestion, models.Model):
    """One graded answer of a short-answer question (Moodle's question_answers row)."""

    question = models.ForeignKey(
        ShortTextQuestion, verbose_name=_("вопрос"), on_delete=models.CASCADE, related_name="short_answers"
    )
    text = models.CharField(
        _("ответ"), max_length=255, help_text=_("«*» — любые символы; сама звёздочка пишется «\\*».")
    )
    fraction = fraction_field(default=1, help_text=_("1 — полный балл, 0,5 — половина."))
    feedback = models.TextField(_("отзыв на ответ"), blank=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("ответ")
        verbose_name_plural = _("ответы")
        ordering = ["order", "pk"]

    def __str__(self):
        return Truncator(self.text).chars(60)


class NumericAnswer(OptionOfQuestion, models.Model):
    """One graded answer of a numeric question: a value with a tolerance, or any other number."""

    question = models.ForeignKey(
        NumericQuestion, verbose_name=_("вопрос"), on_delete=models.CASCADE, related_name="numeric_answers"
    )
    value = models.DecimalField(
        _("ответ"),
        max_digits=18,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Пусто — любое другое число (в Moodle — «*»)."),
    )
    tolerance = models.DecimalField(
        _("допуск"), max_digits=18, decimal_places=6, default=0, validators=[MinValueValidator(0)]
    )
    fraction = fraction_field(default=1, help_text=_("1 — полный балл, 0,5 — половина."))
    feedback = models.TextField(_("отзыв на ответ"), blank=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("числовой ответ")
        verbose_name_plural = _("числовые ответы")
        ordering = ["order", "pk"]

    def __str__(self):
        return "*" if self.value is None else f"{self.value} ± {self.tolerance}"


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


def feedback_on(snapshot, answer):
    """The per-answer feedback that ``answer`` earns (a list of texts; empty without an answer)."""
    if not isinstance(answer, dict):
        return []
    return QUESTION_TYPES[snapshot["type"]].feedback_for(snapshot, answer)


def combined_feedback_on(snapshot, fraction):
    """Moodle's combined feedback for an answer that earned ``fraction`` (a list of at most one text):
    full marks → «correct», some → «partially correct», none → «incorrect»; nothing while a trainer has
    not graded it (``None``) or when the question has none."""
    texts = snapshot.get("key", {}).get("combined_feedback")
    if not texts or fraction is None:
        return []
    fraction = Decimal(fraction)
    state = "correct" if fraction >= 1 else "partially_correct" if fraction > 0 else "incorrect"
    return [texts[state]] if texts.get(state) else []


def snapshot_html(snapshot, text=None):
    """Safe HTML of the snapshot's text (or of ``text``, an option of it) in the question's format."""
    return richtext.to_html(
        snapshot["text"] if text is None else text, snapshot.get("format", TextFormat.PLAIN)
    )


def public_payload(snapshot):
    """What the browser may see of a snapshot: a whitelist, so new server-side keys never leak.

    ``html`` is the text (of the question, an option, a matched item) rendered in the question's format
    and sanitised (:mod:`quizzes.richtext`); the items matched *to* are shown in a list box, so they get
    their words only.
    """
    data = {}
    for field in PUBLIC_FIELDS:
        if field in snapshot:
            data[field] = snapshot[field]
        if field == "text":
            data["html"] = snapshot_html(snapshot)
    text_format = snapshot.get("format", TextFormat.PLAIN)
    for name in PUBLIC_LISTS:
        if name in snapshot:
            items = [{field: item[field] for field in PUBLIC_ITEM_FIELDS} for item in snapshot[name]]
            for item in items:
                if name == "right":
                    item["text"] = richtext.to_plain(item["text"], text_format)
                else:
                    item["html"] = snapshot_html(snapshot, item["text"])
            data[name] = items
    return data
