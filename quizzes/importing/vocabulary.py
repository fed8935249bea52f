"""Words people write in question files: type names, true/false, grading.

They are the file formats themselves (a template says «один ответ» whatever the interface language is),
so they are plain strings, not translations.
"""

import re

from .parsed import MultipleGrading, QuestionKind

_SPACES = re.compile(r"\s+")
_AROUND_SLASH = re.compile(r"\s*/\s*")

# The names in the «Тип» column of the XLSX template, in the order the template lists them.
KIND_NAMES = {
    QuestionKind.SINGLE: "один ответ",
    QuestionKind.MULTIPLE: "несколько ответов",
    QuestionKind.TRUEFALSE: "верно/неверно",
    QuestionKind.SHORT: "короткий ответ",
    QuestionKind.NUMERIC: "число",
    QuestionKind.MATCHING: "соответствие",
    QuestionKind.ESSAY: "эссе",
}
_KIND_SYNONYMS = {
    "один правильный ответ": QuestionKind.SINGLE,
    "несколько правильных ответов": QuestionKind.MULTIPLE,
    "да/нет": QuestionKind.TRUEFALSE,
    "числовой ответ": QuestionKind.NUMERIC,
    "на соответствие": QuestionKind.MATCHING,
}

GRADING_NAMES = {
    MultipleGrading.PARTIAL: "частичное",
    MultipleGrading.ALL_OR_NOTHING: "всё или ничего",
}

TRUE_WORDS = ("верно", "да", "истина", "правда", "true", "t")
FALSE_WORDS = ("неверно", "нет", "ложь", "неправда", "false", "f")


def comparison_key(text):
    """Two words are the same when they differ only in case, ё/е and spaces."""
    return _SPACES.sub(" ", str(text)).strip().casefold().replace("ё", "е")


def _key(text):
    return _AROUND_SLASH.sub("/", comparison_key(text))


_KINDS = {
    **{_key(name): kind for kind, name in KIND_NAMES.items()},
    **{_key(name): kind for name, kind in _KIND_SYNONYMS.items()},
    **{kind.value: kind for kind in QuestionKind},
}
_GRADINGS = {
    **{_key(name): grading for grading, name in GRADING_NAMES.items()},
    **{grading.value: grading for grading in MultipleGrading},
}


def kind_from_name(name):
    """«Один ответ», «верно / неверно», ``multiple`` … → :class:`QuestionKind`, else ``None``."""
    return _KINDS.get(_key(name))


def grading_from_name(name):
    """«частичное», «всё или ничего» (or the codes) → :class:`MultipleGrading`, else ``None``."""
    return _GRADINGS.get(_key(name))


def truth_from_word(word):
    """«верно»/«неверно» and the like → ``True``/``False``, else ``None``."""
    key = _key(word)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    return None
