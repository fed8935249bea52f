"""Question files for the quiz bank: GIFT, Moodle XML, Aiken and our XLSX template, read into dataclasses.

Nothing here touches the database: a parser turns a file into a :class:`~.parsed.ParseResult` (the
questions that passed validation and every error with its line number); saving them is someone else's job.
Entry point for uploads: :func:`parse_file`; exports: :func:`to_gift` and :func:`to_moodle_xml`.
"""

from .formats import Format, detect_format, parse_file
from .gift import to_gift
from .moodle_xml import to_moodle_xml
from .parsed import (
    MultipleGrading,
    ParsedAnswer,
    ParsedChoice,
    ParsedNumber,
    ParsedQuestion,
    ParseError,
    ParseResult,
    QuestionKind,
    TextFormat,
)

__all__ = [
    "Format",
    "MultipleGrading",
    "ParseError",
    "ParseResult",
    "ParsedAnswer",
    "ParsedChoice",
    "ParsedNumber",
    "ParsedQuestion",
    "QuestionKind",
    "TextFormat",
    "detect_format",
    "parse_file",
    "to_gift",
    "to_moodle_xml",
]
