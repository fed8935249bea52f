"""Aiken: a question on one or more lines, options ``A.`` or ``A)``, then ``ANSWER: B``.

Letters may be Latin or Cyrillic (look-alikes such as Cyrillic «А» and Latin «A» count as the same letter);
``ОТВЕТ:`` is accepted for ``ANSWER:``, and ``ANSWER: A, C`` makes a question with several correct answers.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .decoding import split_lines
from .parsed import MultipleGrading, ParsedQuestion, ParseError, ParseResult, QuestionKind, marked_choices
from .validation import validate_question

_OPTION = re.compile(r"^([A-ZА-ЯЁ])[.)]\s+(\S.*)$")
_ANSWER = re.compile(r"^(?:ANSWER|ОТВЕТ)\s*:\s*(.*)$", re.IGNORECASE)
_LETTER_SEPARATORS = re.compile(r"[\s,;]+")
_LOOKALIKES = str.maketrans("АВСЕНКМОРТХ", "ABCEHKMOPTX")


@dataclass
class _Draft:
    line: int
    text: list[str] = field(default_factory=list)
    options: list[tuple[int, str, str]] = field(default_factory=list)  # (line, letter, text)


def parse(text):
    """Read Aiken text into a :class:`ParseResult`; never raises on bad content."""
    result = ParseResult()
    draft = None
    for number, line in enumerate(split_lines(text), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        answer = _ANSWER.match(stripped)
        option = _OPTION.match(stripped)
        if answer:
            if draft is None:
                result.errors.append(ParseError(number, _("Строка «ANSWER:» без вопроса перед ней.")))
            else:
                _finish(draft, answer[1], number, result)
                draft = None
        elif option:
            if draft is None:
                draft = _Draft(number)
            draft.options.append((number, option[1], option[2].strip()))
        else:
            if draft is not None and draft.options:
                _report_missing_answer(draft, result)
                draft = None
            if draft is None:
                draft = _Draft(number)
            draft.text.append(stripped)
    if draft is not None:
        _report_missing_answer(draft, result)
    return result


def _letter(letter):
    return letter.upper().translate(_LOOKALIKES)


def _report_missing_answer(draft, result):
    result.errors.append(
        ParseError(draft.line, _("Нет строки «ANSWER: …» с буквой правильного ответа после вариантов."))
    )


def _finish(draft, answer, answer_line, result):
    errors = []
    letters = []
    for number, letter, _text in draft.options:
        if _letter(letter) in letters:
            errors.append(
                ParseError(number, _("Буква варианта «%(letter)s» повторяется.") % {"letter": letter})
            )
        letters.append(_letter(letter))
    correct = []
    for given in _LETTER_SEPARATORS.split(answer.strip()):
        if given and _letter(given) not in correct:
            correct.append(_letter(given))
    if not correct:
        errors.append(ParseError(answer_line, _("После «ANSWER:» не указана буква правильного ответа.")))
    elif len(draft.options) >= 2:
        for letter in correct:
            if letter not in letters:
                errors.append(
                    ParseError(
                        answer_line,
                        _("Буквы ответа «%(letter)s» нет среди вариантов (%(letters)s).")
                        % {"letter": letter, "letters": ", ".join(option[1] for option in draft.options)},
                    )
                )
    kind = QuestionKind.SINGLE if len(correct) < 2 else QuestionKind.MULTIPLE
    question = ParsedQuestion(
        kind=kind,
        text="\n".join(draft.text),
        line=draft.line,
        choices=marked_choices(
            kind, [(text, _letter(letter) in correct) for _n, letter, text in draft.options]
        ),
        multiple_grading=MultipleGrading.ALL_OR_NOTHING if kind == QuestionKind.MULTIPLE else None,
    )
    if not errors:
        errors = validate_question(question)
    result.errors.extend(errors)
    if not errors:
        result.questions.append(question)
