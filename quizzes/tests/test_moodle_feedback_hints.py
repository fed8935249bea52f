"""Moodle's combined feedback, hints and 0-fraction short answers survive import and export, and the
review shows what Moodle shows (issue 16)."""

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from people.factories import make_person
from quizzes.api.review import review_items
from quizzes.importing import parse_file
from quizzes.models import Question, Quiz, QuizQuestion, Sitting
from quizzes.models.questions import combined_feedback_on
from quizzes.services import finish_sitting, save_answer, start_sitting
from quizzes.services.exporting import export_gift, export_moodle_xml
from quizzes.services.importing import find_category, import_questions

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent.parent / "importing" / "tests" / "samples"
SAMPLE = SAMPLES / "moodle_feedback_hints.xml"
COMBINED = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")


def imported():
    report = import_questions("moodle.xml", SAMPLE.read_bytes())
    assert report.ok, report.errors
    return {question.name: question for question in Question.objects.all()}


def moodle_parts(xml_bytes):
    """``{question name: [(tag, format, text, flags)]}`` of the combined feedback and hints, as written."""
    root = ET.fromstring(xml_bytes)
    parts = {}
    for question in root.findall("question"):
        if question.get("type") == "category":
            continue
        found = []
        for tag in COMBINED:
            element = question.find(tag)
            if element is not None:
                found.append((tag, element.get("format"), (element.findtext("text") or "").strip(), ()))
        if question.find("shownumcorrect") is not None:
            found.append(("shownumcorrect", None, "", ()))
        for hint in question.findall("hint"):
            flags = tuple(name for name in ("shownumcorrect", "clearwrong") if hint.find(name) is not None)
            found.append(("hint", hint.get("format"), (hint.findtext("text") or "").strip(), flags))
        parts[question.findtext("name/text").strip()] = found
    return parts


# --- combined feedback and hints ------------------------------------------------------------------


def test_combined_feedback_and_hints_are_stored():
    questions = imported()
    multiple = questions["Обязанности служащего"]
    assert multiple.correct_feedback == "<p>Ваш ответ <b>верный</b>.</p>"
    assert multiple.partially_correct_feedback == "<p>Ваш ответ частично правильный.</p>"
    assert multiple.incorrect_feedback == "<p>Ваш ответ неправильный.</p>"
    assert multiple.show_num_correct is True
    assert multiple.hints == [
        {
            "text": "<p>Вспомните статью 11.</p>",
            "format": "html",
            "shownumcorrect": True,
            "clearwrong": True,
            "options": "",
        },
        {
            "text": "Верных ответов **два**.",
            "format": "markdown",
            "shownumcorrect": False,
            "clearwrong": False,
            "options": "",
        },
    ]
    matching = questions["Статьи закона"]
    assert (matching.correct_feedback, matching.partially_correct_feedback) == (
        "<p>Все пары верны.</p>",
        "<p>Часть пар верна.</p>",
    )
    assert matching.show_num_correct is False
    assert [hint["text"] for hint in questions["Название закона"].hints] == [
        "<p>Одно слово в родительном падеже.</p>"
    ]


def test_moodle_xml_export_writes_them_back_identically():
    imported()
    exported = export_moodle_xml(find_category("Антикоррупция"))
    assert moodle_parts(exported) == moodle_parts(SAMPLE.read_bytes())


def test_import_export_import_keeps_them():
    first = parse_file("moodle.xml", SAMPLE.read_bytes())
    assert first.ok, first.errors
    imported()
    again = parse_file("export.xml", export_moodle_xml(find_category("Антикоррупция")))
    assert again.ok, again.errors
    assert again.questions == first.questions


def test_a_hint_with_an_unknown_format_is_an_error_at_its_line():
    bad = SAMPLE.read_text().replace('<hint format="markdown">', '<hint format="wiki">')
    report = import_questions("bad.xml", bad.encode())
    assert not report.ok
    line = bad.splitlines().index('    <hint format="wiki">') + 1
    assert any(error.line == line and "wiki" in error.message for error in report.errors), report.errors
    assert not Question.objects.exists()


def test_combined_feedback_follows_the_score():
    snapshot = {"key": {"combined_feedback": {"correct": "Да", "incorrect": "Нет"}}}
    assert combined_feedback_on(snapshot, Decimal(1)) == ["Да"]
    assert combined_feedback_on(snapshot, Decimal("0.5")) == []  # no partially-correct text
    assert combined_feedback_on(snapshot, Decimal(0)) == ["Нет"]
    assert combined_feedback_on(snapshot, None) == []  # a trainer has not graded it yet
    assert combined_feedback_on({"key": {}}, Decimal(1)) == []


# --- the review -----------------------------------------------------------------------------------


@pytest.fixture
def quiz():
    imported()
    quiz = Quiz.objects.create(title="Отзывы", review_policy=Quiz.ReviewPolicy.AFTER_ATTEMPT)
    for order, question in enumerate(Question.objects.order_by("pk")):
        QuizQuestion.objects.create(quiz=quiz, question=question, order=order)
    return quiz


def answered(quiz, answers):
    sitting = start_sitting(make_person(), quiz)
    names = dict(Question.objects.values_list("pk", "name"))
    snapshots = {names[s.get("pk", s["id"])]: s for s in sitting.questions()}
    for seq, (name, make) in enumerate(answers.items(), start=1):
        save_answer(sitting, snapshots[name]["id"], make(snapshots[name]), seq)
    sitting = Sitting.objects.get(pk=finish_sitting(sitting).pk)
    pks = [s.get("pk", s["id"]) for s in sitting.questions()]
    return {names[pk]: item for pk, item in zip(pks, review_items(sitting), strict=True)}


def option(snapshot, start):
    return next(o["id"] for o in snapshot["options"] if o["text"].startswith("<p>" + start))


def test_the_review_shows_combined_feedback_after_the_answer_feedback(quiz):
    items = answered(
        quiz,
        {
            "Обязанности служащего": lambda s: {"choices": [option(s, "Уведомить")]},
            "Статьи закона": lambda s: {"pairs": {item["id"]: None for item in s["left"]}},
        },
    )
    assert items["Обязанности служащего"]["feedback"] == [
        "<p>Да, письменно.</p>",
        "<p>Ваш ответ частично правильный.</p>",
    ]
    assert items["Статьи закона"]["feedback"] == []  # incorrect, and its incorrect feedback is empty
    assert items["Название закона"]["feedback"] == []  # not answered: nothing


def test_a_correct_answer_gets_the_correct_feedback(quiz):
    items = answered(
        quiz,
        {"Обязанности служащего": lambda s: {"choices": [option(s, "Уведомить"), option(s, "Принять")]}},
    )
    assert items["Обязанности служащего"]["feedback"] == [
        "<p>Да, письменно.</p>",
        "<p>Ваш ответ <b>верный</b>.</p>",
    ]
    assert items["Обязанности служащего"]["feedback_html"][-1] == "<p>Ваш ответ <b>верный</b>.</p>"


def test_combined_feedback_and_hints_are_never_sent_while_the_sitting_runs(quiz):
    from quizzes.models.questions import public_payload

    sitting = start_sitting(make_person(), quiz)
    payload = str([public_payload(snapshot) for snapshot in sitting.questions()])
    for text in ("частично правильный", "Все пары верны", "Вспомните статью 11", "Одно слово"):
        assert text not in payload


# --- feedback on 0-fraction short answers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "fraction", "feedback"),
    [
        ("коррупции", Decimal(1), ["<p>Верно.</p>"]),
        ("коррупционных", Decimal("0.5"), ["<p>Почти.</p>"]),
        # The first matching answer wins, a 0-fraction one too (Moodle's rule): it comes before *коррупц*.
        ("коррупции и взятках", Decimal(0), ["<p>Нет: взятка — лишь одна из форм коррупции.</p>"]),
        ("терроризму", Decimal(0), ["<p>Нет.</p>"]),
    ],
)
def test_a_wrong_short_answer_scores_zero_and_shows_its_feedback(quiz, response, fraction, feedback):
    items = answered(quiz, {"Название закона": lambda s: {"text": response}})
    assert Decimal(items["Название закона"]["fraction"]) == fraction
    assert items["Название закона"]["feedback"] == feedback


def test_zero_fraction_short_answers_are_in_the_key_in_file_order():
    question = imported()["Название закона"]
    answers = question.snapshot()["key"]["answers"]
    assert [(item["text"], item["fraction"]) for item in answers] == [
        ("*взятк*", "0"),
        ("коррупции", "1"),
        ("*коррупц*", "0.5"),
        ("*", "0"),
    ]
    assert question.snapshot()["key"]["accepted"] == ["коррупции"]


GIFT_ZERO = """::Название::Закон «О противодействии …» {
\t=%0%*взятк*#Нет: взятка — лишь одна из форм.
\t=коррупции#Верно.
\t=%0%*#Нет.
}
"""


def test_zero_fraction_short_answers_survive_gift_and_xml():
    report = import_questions("bank.gift", GIFT_ZERO.encode())
    assert report.ok, report.errors
    first = parse_file("bank.gift", GIFT_ZERO.encode()).questions
    category = Question.objects.get().category
    gift = export_gift(category)
    assert "=%0%*взятк*#Нет\\: взятка — лишь одна из форм." in gift
    xml = export_moodle_xml(category)
    for again in (parse_file("again.gift", gift.encode()), parse_file("again.xml", xml)):
        assert again.ok, again.errors
        assert again.questions[0].answers == first[0].answers
    assert Question.objects.get().score({"text": "о взятке"}) == 0
