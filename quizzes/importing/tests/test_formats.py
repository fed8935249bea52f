import codecs

import pytest

from quizzes.importing import Format, detect_format, parse_file
from quizzes.importing.decoding import TextDecodingError, decode_text

from .conftest import errors_as_pairs


@pytest.mark.parametrize(
    ("filename", "sample_name", "expected"),
    [
        ("bank.gift", "anticorruption.gift", Format.GIFT),
        ("BANK.GIFT", "broken_aiken.txt", Format.GIFT),
        ("bank.xlsx", "template.xlsx", Format.XLSX),
        ("Вопросы.XLSX", "template.xlsx", Format.XLSX),
        ("bank.txt", "anticorruption.gift", Format.GIFT),
        ("bank.txt", "moodle_export.gift", Format.GIFT),
        ("bank.txt", "broken.gift", Format.GIFT),
        ("bank.txt", "anticorruption_aiken.txt", Format.AIKEN),
        ("bank.txt", "anticorruption_aiken_cp1251.txt", Format.AIKEN),
        ("bank.txt", "broken_aiken.txt", Format.AIKEN),
        ("bank.txt", "template.xlsx", None),
        ("bank.xls", "template.xlsx", None),
        ("bank.docx", "anticorruption.gift", None),
        ("bank", "anticorruption.gift", None),
    ],
)
def test_detect_format(sample, filename, sample_name, expected):
    assert detect_format(filename, sample(sample_name).read_bytes()[:4096]) == expected


def test_plain_text_is_no_known_format():
    text = "Федеральный закон № 273-ФЗ «О противодействии коррупции».\nСтатья 1.\n".encode()
    assert detect_format("notes.txt", text) is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_head_cut_inside_a_character_is_still_detected(encoding):
    data = "Кому уведомлять о склонении?\nА. Никому\nБ. Представителю нанимателя\nОТВЕТ: Б\n".encode(encoding)
    for size in range(len(data) - 1, 0, -1):
        head = data[:size]
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            break
    assert "ОТВЕТ" in data[:size].decode(encoding, errors="ignore")
    assert detect_format("bank.txt", head) == Format.AIKEN


def test_parse_file_reads_each_format(sample):
    for name, count in [
        ("anticorruption.gift", 16),
        ("anticorruption_aiken.txt", 5),
        ("anticorruption_aiken_cp1251.txt", 5),
        ("template.xlsx", 7),
    ]:
        result = parse_file(name, sample(name).read_bytes())
        assert (name, result.errors, len(result.questions)) == (name, [], count)


def test_cp1251_file_reads_like_the_utf8_one(sample):
    utf8 = parse_file("a.txt", sample("anticorruption_aiken.txt").read_bytes())
    cp1251 = parse_file("a.txt", sample("anticorruption_aiken_cp1251.txt").read_bytes())
    assert cp1251.questions == utf8.questions
    assert [q.line for q in cp1251.questions] == [q.line for q in utf8.questions]


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf-8 with BOM", "utf-16", "crlf"],
)
def test_other_encodings_and_line_ends(tmp_path, sample_text, encode):
    text = sample_text("anticorruption.gift")
    path = tmp_path / "bank.gift"
    path.write_bytes(encode(text))
    result = parse_file(path.name, path.read_bytes())
    assert result.errors == []
    assert result.questions == parse_file("bank.gift", text.encode()).questions
    assert result.questions[0].title == "Понятие коррупции"
    assert result.questions[0].line == 8


def test_undecodable_bytes_are_reported_at_their_line(tmp_path):
    # 0x98 is undefined in Windows-1251 and cannot start a UTF-8 character.
    path = tmp_path / "bad.gift"
    path.write_bytes(
        "Вопрос?{=да ~нет}\n\nВторой ".encode("cp1251") + b"\x98" + "вопрос?{T}\n".encode("cp1251")
    )
    assert errors_as_pairs(parse_file(path.name, path.read_bytes())) == [
        (3, "Не удалось прочитать файл: он не в кодировке UTF-8 и не в Windows-1251.")
    ]


def test_binary_content_is_not_text(tmp_path):
    with pytest.raises(TextDecodingError) as raised:
        decode_text(b"ANSWER: A\n\n\x00\x01")
    assert raised.value.line == 3
    result = parse_file("bank.gift", b"line\n\x00")
    assert errors_as_pairs(result) == [
        (2, "Это не текстовый файл: в нём есть двоичные данные (нулевые байты).")
    ]


def test_unknown_format_is_one_error(sample):
    result = parse_file("C:\\fakepath/bank.pdf", sample("anticorruption.gift").read_bytes())
    assert result.questions == []
    assert [(error.line, str(error.message)) for error in result.errors] == [
        (
            None,
            "Не удалось определить формат файла «bank.pdf». Поддерживаются GIFT (.gift или .txt), "
            "Moodle XML (.xml), Aiken (.txt) и шаблон Excel (.xlsx).",
        )
    ]
