"""The shared PDF writer: real Russian text a reader can extract, page numbers, hostile text drawn safely."""

import io

from pypdf import PdfReader

from people.pdf import Document, clean_text, printable_characters


def pages_text(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_russian_text_is_real_text_with_page_numbers():
    document = Document("Проверка")
    document.add_page()
    document.heading("Протокол результатов тестирования")
    document.paragraph("Ёлкин Пётр Семёнович, Администрация города Обнинска")
    content = document.to_bytes()
    assert content.startswith(b"%PDF-")
    (text,) = pages_text(content)
    assert "Протокол результатов тестирования" in text
    assert "Ёлкин Пётр Семёнович" in text
    assert "Страница 1 из 1" in text
    assert PdfReader(io.BytesIO(content)).metadata.title == "Проверка"


def test_a_long_table_repeats_its_header_and_counts_the_pages():
    document = Document("Таблица")
    document.add_page()
    document.data_table(
        ["№", "ФИО", "Организация"],
        [[str(n), f"Участник {n}", "Администрация"] for n in range(1, 151)],
        col_widths=(1, 4, 4),
    )
    texts = pages_text(document.to_bytes())
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert "Организация" in text  # the header on every page
        assert f"Страница {number} из {len(texts)}" in text
    assert "Участник 150" in texts[-1]


def test_control_and_direction_characters_are_dropped_and_missing_glyphs_marked():
    assert clean_text("Иванов\x00\u202e Иван\u200b\nИванович\t") == "Иванов Иван Иванович"
    assert clean_text("Ли 李") == "Ли ?"
    assert clean_text(None) == ""
    assert set("АаЁёЯя№«»—") <= printable_characters()


def test_long_text_is_cut_with_an_ellipsis():
    assert clean_text("Я" * 5000, limit=100) == "Я" * 99 + "…"
    assert clean_text("Короткое", limit=100) == "Короткое"


def test_hostile_text_is_drawn_as_plain_text():
    hostile = '=HYPERLINK("http://evil.example/","ФИО") **жирный** <b>тег</b> {nb}'
    document = Document(hostile)
    document.add_page()
    document.facts([("ФИО", hostile)])
    document.data_table(["ФИО"], [[hostile], ["Ж" * 5000]])
    (text, *_rest) = pages_text(document.to_bytes())
    assert '=HYPERLINK("http://evil.example/","ФИО")' in text
    assert "**жирный** <b>тег</b> {nb}" in text  # no markup, and not the page-count alias


def test_a_long_list_of_facts_is_printed_whole():
    settlements = ", ".join(f"Сельское поселение «Деревня {n}»" for n in range(30))
    document = Document("Поселения")
    document.add_page()
    document.facts([("Поселения", settlements)])
    text = " ".join(pages_text(document.to_bytes()))
    assert "«Деревня 29»" in text and "…" not in text


def test_a_landscape_document_without_page_numbers():
    """A certificate: one A4 landscape page, no «Страница 1 из 1» at its foot."""
    document = Document("Сертификат", orientation="landscape", page_numbers=False)
    document.add_page()
    document.paragraph("Сертификат о прохождении обучения")
    reader = PdfReader(io.BytesIO(document.to_bytes()))
    (page,) = reader.pages
    assert (
        round(float(page.mediabox.width) / 72 * 25.4),
        round(float(page.mediabox.height) / 72 * 25.4),
    ) == (
        297,
        210,
    )
    text = page.extract_text()
    assert "Сертификат о прохождении обучения" in text
    assert "Страница" not in text


def test_a_text_box_is_placed_cleaned_and_wrapped():
    document = Document("Поля")
    document.add_page()
    below = document.text_box(30, 100, 40, "Иванов\u202e Иван Иванович, Администрация города Калуги", size=10)
    assert below > 100 + 2 * 10 * 0.45  # wrapped onto several lines of a 40 mm box
    assert document.get_x() == 30  # back at the box's left edge
    text = pages_text(document.to_bytes())[0]
    assert "\u202e" not in text and "Иванов" in text


def test_the_fitting_size_shrinks_long_text_to_the_lines_allowed():
    document = Document("Размер")
    document.add_page()
    assert document.fitting_size("Петров Пётр", 200, (22, 16, 12), max_lines=1) == 22
    long_name = "Константинопольская-Римская Александра-Мария Вячеславовна-Эммануиловна"
    assert document.fitting_size(long_name, 150, (22, 16, 12, 9), max_lines=1, bold=True) < 22
    assert document.fitting_size("Я " * 1000, 100, (22, 16), max_lines=1) == 16  # the smallest, at worst
