"""docs/import-questions.md shows what the parsers read: its examples are checked here."""

import re
from pathlib import Path

import pytest

from quizzes.importing import aiken, gift, xlsx
from quizzes.importing.parsed import MultipleGrading, QuestionKind

DOC = Path(__file__).resolve().parents[3] / "docs" / "import-questions.md"


@pytest.fixture(scope="module")
def doc():
    return DOC.read_text(encoding="utf-8")


def code_blocks(text, language=""):
    """The bodies of the fenced code blocks of ``text`` written in ``language`` ("" — none named)."""
    blocks = re.findall(r"^```(\w*)\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    return [body for name, body in blocks if name == language]


def test_gift_example_reads_as_documented(doc):
    result = gift.parse(code_blocks(doc)[0])
    assert result.errors == []
    [question] = result.questions
    assert question.kind == QuestionKind.MULTIPLE
    assert question.multiple_grading == MultipleGrading.ALL_OR_NOTHING
    assert (question.points, question.legal_norm) == (2, "273-ФЗ, ст. 11")


def test_aiken_example_reads_as_documented(doc):
    result = aiken.parse(code_blocks(doc)[1])
    assert result.errors == []
    assert result.questions[0].correct_choices[0].text.startswith("Представителя нанимателя")


def test_every_template_column_and_example_is_in_the_docs(doc):
    for column in xlsx.COLUMNS:
        assert f"| {column.title} |" in doc
    for example in xlsx.EXAMPLES:
        for value in example.values():
            for line in str(value).split("\n"):
                assert line in doc, line


@pytest.mark.parametrize(
    ("snippet", "kind"),
    [
        ("{=верный ~неверный ~ещё неверный}", QuestionKind.SINGLE),
        ("{~%50%верный ~%50%тоже верный ~%-100%неверный}", QuestionKind.MULTIPLE),
        ("{TRUE}", QuestionKind.TRUEFALSE),
        ("{=конфликт интересов =конфликтом интересов}", QuestionKind.SHORT),
        ("{#=3000:0 =%50%3000:1000}", QuestionKind.NUMERIC),
        ("{#1..10000}", QuestionKind.NUMERIC),
        ("{=Статья 8 -> Сведения о доходах =Статья 10 -> Конфликт интересов}", QuestionKind.MATCHING),
        ("{####Пояснение}", QuestionKind.ESSAY),
    ],
)
def test_gift_table_snippets_read_as_documented(doc, snippet, kind):
    assert f"`{snippet}`" in doc
    result = gift.parse("Вопрос " + snippet)
    assert result.errors == []
    assert result.questions[0].kind == kind


def test_moodle_xml_extension_example_reads_as_documented(doc):
    from quizzes.importing import moodle_xml

    [elements] = code_blocks(doc, "xml")
    xml = (
        '<quiz><question type="multichoice"><questiontext format="html"><text>Чем урегулируется?</text>'
        '</questiontext><single>false</single><answer fraction="100"><text>Отводом</text></answer>'
        '<answer fraction="0"><text>Ничем</text></answer>' + elements + "</question></quiz>"
    )
    result = moodle_xml.parse(xml.encode())
    assert result.errors == []
    [question] = result.questions
    assert question.legal_norm == "273-ФЗ, ст. 11"
    assert question.multiple_grading == MultipleGrading.ALL_OR_NOTHING


def test_moodle_xml_docs_name_every_type_read(doc):
    from quizzes.importing import moodle_xml

    section = doc[doc.index("## Moodle XML") : doc.index("## Aiken")]
    for name in moodle_xml.TYPES:
        assert f"`{name}`" in section, name
    for name in moodle_xml.FORMATS:
        assert f"`{name}`" in section, name
