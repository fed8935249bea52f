"""Saving a question file into the bank: :func:`import_questions` (used by the upload page and the command).

The file is read by :func:`quizzes.importing.parse_file`; when it has any error nothing is saved and the
report lists every error with its line. Otherwise the category tree and all questions with their options
are created in one transaction. A question already in its category (same type and text) is skipped, so
importing the same file twice creates nothing new. Pictures a Moodle XML file embeds are stored as Wagtail
images (:mod:`quizzes.services.question_images`); a dry run or a failed import deletes their files again.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import richtext
from ..importing import ParseError, parse_file
from ..importing.parsed import QuestionKind, category_levels, category_path
from ..models import (
    QUESTION_TYPES,
    Category,
    Choice,
    MatchingPair,
    MultipleChoiceQuestion,
    NumericAnswer,
    Question,
    ShortAnswer,
)
from .question_images import ImageStore

# Questions whose file names no category (Aiken files, GIFT without $CATEGORY) go here.
DEFAULT_CATEGORY = "Импорт"
_NAME_LENGTH = Category._meta.get_field("name").max_length


class ImportStatus:
    CREATED = "created"
    SKIPPED = "skipped"


@dataclass
class ImportedQuestion:
    """One question of the file and what the import did with it."""

    line: int
    kind: str
    text: str
    category: str
    status: str

    @property
    def kind_label(self):
        return QUESTION_TYPES[self.kind]._meta.verbose_name

    @property
    def status_label(self):
        if self.status == ImportStatus.SKIPPED:
            return _("уже есть в банке, пропущен")
        return _("добавлен")


@dataclass
class ImportReport:
    filename: str
    dry_run: bool = False
    errors: list[ParseError] = field(default_factory=list)
    questions: list[ImportedQuestion] = field(default_factory=list)
    categories_created: list[str] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def created_count(self):
        return sum(item.status == ImportStatus.CREATED for item in self.questions)

    @property
    def skipped_count(self):
        return sum(item.status == ImportStatus.SKIPPED for item in self.questions)

    def summary(self):
        """One Russian sentence about the outcome."""
        if self.errors:
            return _("Ошибок в файле: %(count)s. Ничего не импортировано.") % {"count": len(self.errors)}
        if self.dry_run:
            message = _(
                "Проверка прошла успешно: будет добавлено вопросов — %(created)s, пропущено — %(skipped)s."
            )
        else:
            message = _("Импорт завершён: добавлено вопросов — %(created)s, пропущено — %(skipped)s.")
        return message % {"created": self.created_count, "skipped": self.skipped_count}


class _Rollback(Exception):
    """Undo a dry run after it has done everything a real import does."""


def import_questions(filename, data, *, category=None, dry_run=False):
    """Read ``data`` (the bytes of a file called ``filename``) and save its questions.

    ``category`` (a :class:`Category`) takes every question, whatever the file says; without it the
    file's categories are created as a tree (questions with none go to :data:`DEFAULT_CATEGORY`).
    With ``dry_run`` the import runs and is rolled back, so the report says exactly what would happen.
    """
    report = ImportReport(filename=filename, dry_run=dry_run)
    parsed = parse_file(filename, data)
    report.errors = list(parsed.errors)
    if not report.errors and not parsed.questions:
        report.errors.append(ParseError(None, _("В файле нет ни одного вопроса.")))
    if not report.errors:
        report.errors = _category_errors(parsed.questions, category) + _field_errors(parsed.questions)
    if report.errors:
        return report
    images = ImageStore()
    try:
        with transaction.atomic():
            _save(parsed.questions, category, report, images)
            if dry_run:
                raise _Rollback
    except _Rollback:
        images.discard()
    except BaseException:
        images.discard()
        raise
    return report


def _category_errors(questions, category):
    if category is not None:
        return []
    errors = []
    for question in questions:
        for level in category_levels(question.category):
            if len(level) > _NAME_LENGTH:
                message = _("Название категории длиннее %(max)s символов: «%(name)s…».") % {
                    "max": _NAME_LENGTH,
                    "name": level[:40],
                }
                errors.append(ParseError(question.line, message))
    return errors


def _save(questions, category, report, images):
    categories = _Categories(category, report)
    kinds_by_ctype = {
        ContentType.objects.get_for_model(model, for_concrete_model=False).pk: kind
        for kind, model in QUESTION_TYPES.items()
    }
    seen = set()
    for parsed in questions:
        parsed = images.resolve(parsed)
        target = categories.get(parsed.category)
        if target.pk not in categories.loaded:
            existing = Question.objects.non_polymorphic().filter(category=target)
            seen |= {
                (target.pk, kinds_by_ctype.get(ctype), text)
                for ctype, text in existing.values_list("polymorphic_ctype_id", "text")
            }
            categories.loaded.add(target.pk)
        key = (target.pk, str(parsed.kind), parsed.text)
        status = ImportStatus.SKIPPED if key in seen else ImportStatus.CREATED
        if status == ImportStatus.CREATED:
            create_question(parsed, target)
            seen.add(key)
        report.questions.append(
            ImportedQuestion(
                line=parsed.line,
                kind=str(parsed.kind),
                text=richtext.to_plain(parsed.text, str(parsed.text_format)),
                category=target.full_name,
                status=status,
            )
        )


class _Categories:
    """Find or create categories by their "/"-separated path, remembering what was looked up."""

    def __init__(self, fixed, report):
        self.fixed = fixed
        self.report = report
        self.by_path = {}
        self.loaded = set()

    def get(self, path):
        if self.fixed is not None:
            return self.fixed
        levels = category_levels(path) or [DEFAULT_CATEGORY]
        key = category_path(levels)
        if key not in self.by_path:
            self.by_path[key] = self._find_or_create(levels)
        return self.by_path[key]

    def _find_or_create(self, levels):
        parent = None
        for name in levels:
            node, created = Category.objects.get_or_create(parent=parent, name=name)
            if created:
                self.report.categories_created.append(node.full_name)
            parent = node
        return parent


def find_category(path):
    """The category at a "/"-separated path such as "Тема/Подтема", or None."""
    parent = None
    for name in category_levels(path):
        parent = Category.objects.filter(parent=parent, name=name).first()
        if parent is None:
            return None
    return parent


def get_or_create_category(path):
    """The category at a "/"-separated path, created with its parents when missing."""
    parent = None
    for name in category_levels(path):
        parent, _created = Category.objects.get_or_create(parent=parent, name=name)
    return parent


def _field_errors(questions):
    """Every value checked against the model field it goes into (digits and decimal places of points
    and numbers, lengths of texts), the same rules as the admin's forms: what a file says that the
    database cannot hold is an error at its line, never a crash or a question that breaks pages."""
    errors = []
    for parsed in questions:
        model, fields = question_fields(parsed, category=None)
        for instance in [model(**fields), *option_rows(parsed)]:
            try:
                instance.clean_fields(exclude=["category", "question"])
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    label = capfirst(type(instance)._meta.get_field(name).verbose_name)
                    errors.extend(ParseError(parsed.line, f"{label}: {message}") for message in messages)
    return errors


def question_fields(parsed, category):
    """The question model of a :class:`~quizzes.importing.ParsedQuestion` and its field values."""
    model = QUESTION_TYPES[str(parsed.kind)]
    fields = {
        "category": category,
        "name": parsed.title,
        "id_number": parsed.id_number,
        "text": parsed.text,
        "text_format": str(parsed.text_format),
        "points": parsed.points,
        "explanation": parsed.explanation,
        "legal_norm": parsed.legal_norm,
        "is_retired": parsed.retired,
        "correct_feedback": parsed.correct_feedback,
        "partially_correct_feedback": parsed.partially_correct_feedback,
        "incorrect_feedback": parsed.incorrect_feedback,
        "show_num_correct": parsed.show_num_correct,
        "hints": [hint_json(hint) for hint in parsed.hints],
    }
    kind = parsed.kind
    if kind == QuestionKind.MULTIPLE:
        fields["grading"] = parsed.multiple_grading or MultipleChoiceQuestion.Grading.ALL_OR_NOTHING
    elif kind == QuestionKind.TRUEFALSE:
        fields["correct_value"] = bool(parsed.is_true)
        fields["feedback_true"] = parsed.feedback_true
        fields["feedback_false"] = parsed.feedback_false
    elif kind == QuestionKind.SHORT:
        fields["case_sensitive"] = parsed.case_sensitive
        fields["loose_spelling"] = parsed.loose_spelling
    elif kind == QuestionKind.NUMERIC:
        fields["unit"] = parsed.unit
    return model, fields


def hint_json(hint):
    """A :class:`~quizzes.importing.parsed.ParsedHint` as :attr:`Question.hints` keeps it."""
    return {
        "text": hint.text,
        "format": str(hint.text_format),
        "shownumcorrect": hint.show_num_correct,
        "clearwrong": hint.clear_wrong,
        "options": hint.options,
    }


def option_rows(parsed, question=None):
    """The option rows of a parsed question (choices, short or numeric answers, pairs), unsaved."""
    kind = parsed.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return [
            Choice(question=question, text=c.text, fraction=c.fraction, feedback=c.feedback, order=order)
            for order, c in enumerate(parsed.choices)
        ]
    if kind == QuestionKind.SHORT:
        return [
            ShortAnswer(question=question, text=a.text, fraction=a.fraction, feedback=a.feedback, order=order)
            for order, a in enumerate(parsed.answers)
        ]
    if kind == QuestionKind.NUMERIC:
        return [
            NumericAnswer(
                question=question,
                value=n.value,
                tolerance=n.tolerance,
                fraction=n.fraction,
                feedback=n.feedback,
                order=order,
            )
            for order, n in enumerate(parsed.numbers)
        ]
    if kind == QuestionKind.MATCHING:
        return [
            MatchingPair(question=question, left=left, right=right, order=order)
            for order, (left, right) in enumerate(parsed.pairs)
        ]
    return []


def create_question(parsed, category):
    """Save one :class:`~quizzes.importing.ParsedQuestion` as a question of ``category``."""
    model, fields = question_fields(parsed, category)
    question = model.objects.create(**fields)
    rows = option_rows(parsed, question)
    if rows:
        type(rows[0]).objects.bulk_create(rows)
    if parsed.tags:
        question.tags.set(parsed.tags)
    return question
