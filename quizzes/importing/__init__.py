"""Question files for the quiz bank: GIFT, Aiken and our XLSX template, read into plain dataclasses.

Nothing here touches the database: a parser turns a file into a :class:`~.parsed.ParseResult` (the
questions that passed validation and every error with its line number); saving them is someone else's job.
Entry point for uploads: :func:`parse_file`; GIFT export: :func:`to_gift`.
"""

from .formats import Format, detect_format, parse_file
from .gift import to_gift
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
]
