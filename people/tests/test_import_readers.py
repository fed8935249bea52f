"""Reading real CSV and XLSX files into rows with the line numbers a person sees."""

import codecs
import re
import zipfile

import openpyxl
import pytest

from people.importing import ImportFileError
from people.importing.columns import ColumnMap, find_header
from people.importing.readers import read_rows


def read(path):
    return list(read_rows(path.read_bytes(), path.name))


def test_csv_rows_keep_line_numbers_across_empty_lines(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("Фамилия;Имя\nИванов;Иван\n\n;\nПетров;Пётр\n", encoding="utf-8")

    rows = read(path)

    assert [(row.line, row.values) for row in rows] == [
        (1, ("Фамилия", "Имя")),
        (2, ("Иванов", "Иван")),
        (5, ("Петров", "Пётр")),
    ]


def test_a_quoted_line_break_stays_in_one_row(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text('Фамилия,Должность\nИванов,"Главный\nспециалист"\nПетров,Консультант\n', encoding="utf-8")

    rows = read(path)

    assert [row.line for row in rows] == [1, 2, 3]
    assert rows[1].values == ("Иванов", "Главный\nспециалист")


def test_utf16_tab_separated_text_from_excel(tmp_path):
    path = tmp_path / "roster.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "Фамилия\tИмя\r\nСёмина\tОльга\r\n".encode("utf-16-le"))

    assert [row.values for row in read(path)] == [("Фамилия", "Имя"), ("Сёмина", "Ольга")]


def test_xlsx_line_numbers_count_empty_rows_and_ignore_a_wrong_stored_size(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B1"] = "Фамилия", "Имя"
    sheet["A2"], sheet["B2"] = "Иванов", "Иван"
    sheet["A6"], sheet["B6"] = "Петров", "Пётр"
    saved = tmp_path / "saved.xlsx"
    workbook.save(saved)
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # some exporters store the size as just "A1"
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            target.writestr(item, data)

    rows = read(path)

    assert [(row.line, row.values[:2]) for row in rows] == [
        (1, ("Фамилия", "Имя")),
        (2, ("Иванов", "Иван")),
        (6, ("Петров", "Пётр")),
    ]


def test_header_is_found_below_a_title_and_maps_synonyms(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "Список работников;;\n;;\nфамилия ;ИМЯ;Эл. почта;Стаж\nИванов;Иван;i@example.org;5\n", "utf-8"
    )

    columns, rows = find_header(iter(read(path)))

    assert columns.positions == {"last_name": 0, "first_name": 1, "email": 2}
    assert columns.ignored == ["Стаж"]
    assert [row.line for row in rows] == [4]


def test_a_repeated_column_is_fatal():
    with pytest.raises(ImportFileError, match="Email"):
        ColumnMap.from_header(["Фамилия", "Имя", "Email", "E-mail"])
