"""Moodle XML: a bank as Moodle 4.x writes it → import → export → import keeps every fact (issue 16)."""

import base64
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model

from quizzes import richtext
from quizzes.factories import make_category, make_numeric, make_single_choice
from quizzes.importing import parse_file
from quizzes.models import Question
from quizzes.services.exporting import export_moodle_xml
from quizzes.services.importing import find_category, import_questions
from quizzes.services.question_images import COLLECTION_NAME

from .test_import_service import describe

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parent.parent / "importing" / "tests" / "samples" / "moodle_export.xml"
PNG_BASE64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAFElEQVR4nGM8ISfHAANMDEgAhQMAJtoBCkAAOw8AAAAASUVORK5CYII="
)
KINDS = ["single", "multiple", "truefalse", "short", "numeric", "matching", "essay"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def bank_facts():
    """Every fact of every question, by type, independent of ids."""
    facts = {}
    for question in Question.objects.order_by("pk"):
        fact = describe(question)
        fact["is_retired"] = question.is_retired
        fact["unit"] = getattr(question, "unit", None)
        facts[question.kind] = fact
    return facts


def import_sample(name="moodle.xml", **kwargs):
    report = import_questions(name, SAMPLE.read_bytes(), **kwargs)
    assert report.ok, report.errors
    return report


def files_under(root):
    return sorted(path.name for path in Path(root).rglob("*") if path.is_file())


# --- the round trip -------------------------------------------------------------------------------


@pytest.fixture
def round_trip():
    """The facts after the first import, the export, and the facts after importing the export anew."""
    import_sample()
    first = bank_facts()
    exported = export_moodle_xml(find_category("Антикоррупция"))
    Question.objects.all().delete()
    again = import_questions("export.xml", exported)
    assert again.ok, (again.errors, exported.decode())
    return first, exported, bank_facts()


@pytest.mark.parametrize("kind", KINDS)
def test_every_type_keeps_every_fact_through_export_and_import(round_trip, kind):
    first, _exported, second = round_trip
    assert set(first) == set(KINDS)
    assert second[kind] == first[kind]


def test_the_export_of_the_reimported_bank_is_the_same_file(round_trip):
    _first, exported, _second = round_trip
    assert export_moodle_xml(find_category("Антикоррупция")) == exported


def test_the_picture_travels_back_embedded(round_trip):
    _first, exported, _second = round_trip
    text = exported.decode()
    assert '<file name="схема.png" path="/" encoding="base64">' + PNG_BASE64 + "</file>" in text
    assert "@@PLUGINFILE@@/%D1%81%D1%85%D0%B5%D0%BC%D0%B0.png" in text
    assert "/media/" not in text
    # The re-import found the same picture (by its content) and stored it once.
    assert get_image_model().objects.count() == 1


# --- what Moodle wrote is kept --------------------------------------------------------------------


def test_categories_of_the_file_are_created_as_a_tree():
    report = import_sample()
    assert report.categories_created == [
        "Антикоррупция",
        "Антикоррупция / Подарки",
        "Антикоррупция / Конфликт интересов",
    ]
    assert Question.objects.get(name="Понятие конфликта").category.full_name == (
        "Антикоррупция / Конфликт интересов"
    )


def test_moodle_facts_are_kept_in_the_bank():
    import_sample()
    single = Question.objects.get(name="Срок уведомления о подарке")
    assert (single.id_number, sorted(single.tags.names()), single.text_format, single.points) == (
        "ПОД-1",
        ["подарки", "постановление 10"],
        "html",
        Decimal("2.00"),
    )
    assert [(c.fraction, c.feedback) for c in single.choices.all()] == [
        (Decimal("1"), "<p>Верно.</p>"),
        (Decimal("0.5"), "<p>Почти: срок короче.</p>"),
        (Decimal("0"), ""),
    ]
    assert single.explanation == "<p>Постановление Правительства РФ от 09.01.2014 № 10, п. 5.</p>"

    multiple = Question.objects.get(name="Сведения о доходах")
    assert multiple.grading == "partial"
    by_text = {c.text: c.pk for c in multiple.choices.all()}
    assert multiple.score({"choices": [by_text["О своих"]]}) == Decimal("0.3333")
    assert (
        multiple.score(
            {"choices": [by_text["О своих"], by_text["О доходах совершеннолетних братьев и сестёр"]]}
        )
        == 0
    )

    true_false = Question.objects.get(name="Выкуп подарка")
    assert (true_false.correct_value, true_false.feedback_true, true_false.feedback_false) == (
        False,
        "Неверно: нужно заявление.",
        "Верно.",
    )
    assert true_false.is_retired  # <hidden>1</hidden>
    assert true_false.text_format == "plain" and "<сразу>" in true_false.text

    short = Question.objects.get(name="Понятие конфликта")
    assert (short.case_sensitive, short.loose_spelling, short.text_format) == (False, False, "markdown")
    assert [short.score({"text": t}) for t in ("Интересов", "интереса", "другое")] == [1, Decimal("0.5"), 0]

    numeric = Question.objects.get(name="Срок хранения")
    assert numeric.unit == "дн."  # the unit with multiplier 1; the others are not kept
    assert [numeric.score({"value": v}) for v in ("1", "2", "4", "5")] == [
        1,
        Decimal("0.5"),
        Decimal("0.5"),
        0,
    ]

    matching = Question.objects.get(name="Статьи 273-ФЗ")
    assert [(p.left, p.right) for p in matching.pairs.all()] == [
        ("<p>Статья 8</p>", "Сведения о доходах"),
        ("<p>Статья 10</p>", "Конфликт интересов"),
        ("", "Запреты для бывших служащих"),
    ]


def test_texts_in_different_formats_are_rewritten_to_show_the_same():
    """The essay's text is in the auto-format, its general feedback in HTML: both stay as they show."""
    import_sample()
    essay = Question.objects.get(name="Порядок уведомления")
    assert essay.text_format == "moodle_auto"
    assert "\n" in essay.text  # the auto-format's own line break, shown as <br>
    assert "<br>" in str(essay.html)
    assert essay.explanation == "<p>Уведомление — <b>письменно</b>, как только стало известно.</p>"
    assert richtext.to_html(essay.explanation, "moodle_auto") == essay.explanation


def test_a_plain_question_with_html_feedback_becomes_html():
    xml = QUESTION_XML.format(
        type="truefalse",
        fmt="plain_text",
        text="Подарок можно оставить себе <всегда>.".replace("<", "&lt;").replace(">", "&gt;"),
        body="""<answer fraction="100"><text>true</text>
            <feedback format="html"><text>&lt;b&gt;Нет&lt;/b&gt;</text></feedback></answer>
        <answer fraction="0"><text>false</text>
            <feedback format="plain_text"><text>Да &lt;верно&gt;</text></feedback></answer>""",
    )
    result = parse_file("q.xml", xml.encode())
    assert result.ok, result.errors
    question = result.questions[0]
    assert question.text_format == "html"
    assert question.text == "Подарок можно оставить себе &lt;всегда&gt;."
    assert (question.feedback_true, question.feedback_false) == ("<b>Нет</b>", "Да &lt;верно&gt;")


# --- pictures -------------------------------------------------------------------------------------


def test_the_picture_is_a_wagtail_image_in_the_bank_collection_and_the_text_shows_it():
    import_sample()
    image = get_image_model().objects.get()
    assert image.collection.name == COLLECTION_NAME
    assert image.title == "схема.png"
    question = Question.objects.get(name="Срок уведомления о подарке")
    url = image.get_rendition("original").url
    assert url.startswith("/media/images/")
    assert f'src="{url}"' in question.text and "@@PLUGINFILE@@" not in question.text
    html = str(question.html)
    assert f'<img src="{url}" alt="Схема уведомления" width="4" height="3">' in html
    with image.open_file() as file:
        assert file.read() == base64.b64decode(PNG_BASE64)


def test_importing_the_file_again_skips_everything_and_stores_no_second_picture():
    import_sample()
    report = import_sample()
    assert report.created_count == 0 and report.skipped_count == 7
    assert get_image_model().objects.count() == 1


def test_a_dry_run_leaves_no_picture_behind(media):
    report = import_sample(dry_run=True)
    assert report.created_count == 7
    assert not get_image_model().objects.exists()
    assert files_under(media) == []
    # And the real import afterwards stores the picture and shows it (no stale cached rendition).
    import_sample()
    image = get_image_model().objects.get()
    url = image.get_rendition("original").url
    assert (Path(media) / url.removeprefix("/media/")).is_file()


def test_a_failed_import_leaves_no_picture_behind(media, monkeypatch):
    from quizzes.services import importing

    original = importing.create_question

    def fail_on_matching(parsed, category):
        if parsed.kind == "matching":
            raise RuntimeError("база недоступна")
        return original(parsed, category)

    monkeypatch.setattr(importing, "create_question", fail_on_matching)
    with pytest.raises(RuntimeError):
        import_sample()
    assert not Question.objects.exists()
    assert files_under(media) == []


def test_the_illustration_field_travels_as_a_picture_at_the_end_of_the_text(media):
    from django.core.files.base import ContentFile

    category = make_category("Иллюстрации")
    question = make_single_choice(category, text="<p>Что на схеме?</p>", text_format="html")
    question.image.save("shema.png", ContentFile(base64.b64decode(PNG_BASE64)))
    exported = export_moodle_xml(category).decode()
    assert '<file name="shema.png" path="/" encoding="base64">' + PNG_BASE64 in exported

    report = import_questions("back.xml", exported.encode(), category=make_category("Обратно"))
    assert report.ok, report.errors
    copy = Question.objects.get(category__name="Обратно")
    url = get_image_model().objects.get().get_rendition("original").url
    assert copy.text.startswith("<p>Что на схеме?</p>") and f'<img src="{url}" alt="">' in copy.text


# --- the sanitiser and pictures -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "kept"),
    [
        ('<img src="/media/images/a.original.png" alt="x">', True),
        ('<img src="https://tracker.example/pixel.gif">', False),
        ('<img src="//tracker.example/pixel.gif">', False),
        ('<img src="data:image/png;base64,AAAA">', False),
        ('<img src="javascript:alert(1)">', False),
        ('<img src="/media/images/../../etc/passwd">', False),
        ('<img src="/media/documents/secret.pdf">', False),
        ('<img src="/media/images/a.png?x=1">', False),
        ('<img src="@@PLUGINFILE@@/a.png">', False),
    ],
)
def test_only_the_sites_own_images_are_shown(markup, kept):
    html = str(richtext.to_html(markup, "html"))
    assert ("<img" in html) is kept, html
    assert ("src=" in html) is kept, html


def test_a_picture_cannot_carry_script():
    html = str(
        richtext.to_html('<img src="/media/images/a.png" onerror="alert(1)" width="9;x" height="20">', "html")
    )
    assert html == '<img src="/media/images/a.png" height="20">'


# --- errors: each names its place, nothing is saved -----------------------------------------------

QUESTION_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="{type}">
    <name><text>Вопрос</text></name>
    <questiontext format="{fmt}"><text>{text}</text></questiontext>
    {body}
  </question>
</quiz>
"""


def errors_of(xml):
    result = parse_file("bank.xml", xml.encode() if isinstance(xml, str) else xml)
    assert not result.questions
    return [(error.line, str(error.message)) for error in result.errors]


def test_broken_xml_names_its_line():
    assert errors_of("<quiz>\n<question type='essay'>\n<name></question>\n</quiz>") == [
        (3, "Файл не является правильным XML: mismatched tag.")
    ]


@pytest.mark.parametrize(
    "xml",
    [
        # "Billion laughs": entities that expand to gigabytes.
        '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<quiz>&b;</quiz>",
        # XXE: an external entity reading a file of the server.
        '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>',
        '<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "http://127.0.0.1/evil.dtd"><quiz></quiz>',
    ],
)
def test_entities_and_doctypes_are_refused_unread(xml):
    [(line, message)] = errors_of(xml)
    assert line is None and "DTD или сущности" in message


def test_not_a_moodle_file():
    assert errors_of("<?xml version='1.0'?>\n<questions/>") == [
        (2, "Это не файл вопросов Moodle XML: корневой элемент <questions>, а нужен <quiz>.")
    ]


def test_a_description_and_an_unknown_type_are_reported_with_their_lines():
    xml = """<quiz>
  <question type="description"><name><text>Вводная</text></name>
    <questiontext format="html"><text>Прочитайте закон.</text></questiontext></question>
  <question type="calculated"><name><text>Формула</text></name>
    <questiontext format="html"><text>{a} + {b}</text></questiontext></question>
</quiz>"""
    assert errors_of(xml) == [
        (2, "<question>: описание (вопрос типа «description») в банк не импортируется: здесь это не вопрос."),
        (
            4,
            "<question>: тип вопроса «calculated» не поддерживается; импортируются multichoice, truefalse, "
            "shortanswer, numerical, matching и essay.",
        ),
    ]


def test_bad_values_name_their_element_and_line():
    xml = QUESTION_XML.format(
        type="multichoice",
        fmt="wiki",
        text="Выберите",
        body="""<defaultgrade>много</defaultgrade>
    <single>true</single>
    <answer fraction="сто"><text>Да</text></answer>
    <answer fraction="0"><text>Нет</text></answer>""",
    )
    assert errors_of(xml) == [
        (
            5,
            "<questiontext>: неизвестный формат текста «wiki»: возможны html, moodle_auto_format, plain_text "
            "и markdown.",
        ),
        (6, "<defaultgrade>: Баллы должны быть положительным числом."),
        (8, "<answer>: доля «сто» не является числом (Moodle пишет проценты: 100, 50, -33.33333)."),
    ]


def test_a_validation_error_of_the_question_gives_its_line():
    xml = QUESTION_XML.format(
        type="multichoice",
        fmt="html",
        text="Выберите",
        body='<single>true</single><answer fraction="50"><text>Да</text></answer>'
        '<answer fraction="0"><text>Нет</text></answer>',
    )
    assert errors_of(xml) == [
        (3, "Ни один вариант не даёт полного балла (100%): так в вопросе нельзя получить все баллы.")
    ]


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            '<file name="a.png" encoding="base64">не base64!</file>',
            "<file>: содержимое файла «a.png» не является base64.",
        ),
        (
            '<file name="a.svg" encoding="base64">'
            + base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>').decode()
            + "</file>",
            "<file>: файл «a.svg»: это не изображение или файл повреждён.",
        ),
        (
            '<file name="a.png" encoding="base64">'
            + base64.b64encode(b"<script>alert(1)</script>").decode()
            + "</file>",
            "<file>: файл «a.png»: это не изображение или файл повреждён.",
        ),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused(file, message):
    name = re.search(r'name="([^"]+)"', file)[1]
    xml = QUESTION_XML.format(
        type="essay", fmt="html", text=f'&lt;img src="@@PLUGINFILE@@/{name}"&gt;', body=""
    ).replace("</text></questiontext>", "</text>" + file + "</questiontext>")
    assert errors_of(xml) == [(5, message)]


def test_an_oversized_picture_is_refused(settings):
    import io
    import os

    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(1000 * 1000 * 3)).save(buffer, "PNG")
    data = base64.b64encode(buffer.getvalue()).decode()
    xml = QUESTION_XML.format(
        type="essay", fmt="html", text='&lt;img src="@@PLUGINFILE@@/big.png"&gt;', body=""
    ).replace(
        "</text></questiontext>",
        f'</text><file name="big.png" encoding="base64">{data}</file></questiontext>',
    )
    assert errors_of(xml) == [(5, "<file>: файл «big.png»: изображение больше 2 МБ.")]


def test_a_reference_to_a_missing_file_is_an_error():
    xml = QUESTION_XML.format(
        type="essay", fmt="html", text='&lt;img src="@@PLUGINFILE@@/нет.png"&gt;', body=""
    )
    assert errors_of(xml) == [
        (3, "<question>: текст ссылается на файл «нет.png», но самого файла (<file>) в вопросе нет.")
    ]


def test_one_bad_question_keeps_the_whole_file_out():
    good = SAMPLE.read_text(encoding="utf-8")
    bad = good.replace("<defaultgrade>5.0000000</defaultgrade>", "<defaultgrade>-5</defaultgrade>")
    report = import_questions("bank.xml", bad.encode())
    assert not report.ok
    assert [str(error) for error in report.errors] == [
        f"Строка {bad[: bad.index('<defaultgrade>-5')].count(chr(10)) + 1}: <defaultgrade>: "
        "Баллы должны быть положительным числом."
    ]
    assert not Question.objects.exists() and not get_image_model().objects.exists()


# --- what only this bank has ----------------------------------------------------------------------


def test_our_own_facts_travel_in_elements_moodle_ignores():
    category = make_category("Свои")
    make_numeric(category, text="Сколько?", value="12.5", tolerance="0.5", legal_norm="273-ФЗ, ст. 8")
    exported = export_moodle_xml(category)
    assert b"<antikor_legalnorm>273-\xd0\xa4\xd0\x97, \xd1\x81\xd1\x82. 8</antikor_legalnorm>" in exported
    report = import_questions("own.xml", exported, category=make_category("Копия"))
    assert report.ok, report.errors
    copy = Question.objects.get(category__name="Копия")
    assert copy.legal_norm == "273-ФЗ, ст. 8"


def test_the_export_command_writes_moodle_xml(tmp_path):
    import_sample()
    target = tmp_path / "bank.xml"
    call_command(
        "export_questions", category="Антикоррупция", format="xml", output=str(target), stdout=StringIO()
    )
    assert target.read_bytes() == export_moodle_xml(find_category("Антикоррупция"))
