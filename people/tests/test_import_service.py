"""Importing rosters through the service: what is created, updated, rejected, and when nothing is written."""

import csv
import datetime

import openpyxl
import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from people.factories import make_municipality, make_organization, make_person
from people.importing import import_people
from people.models import Municipality, ServiceCategory, User
from people.roles import GROUP_NAMES, Role

pytestmark = pytest.mark.django_db

HEADER = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Email",
    "Табельный номер",
    "Муниципальное образование",
    "Организация",
    "Должность",
    "Категория",
    "Дата поступления на службу",
    "Участвует в закупках",
    "Обязанности по противодействию коррупции",
    "Кадровая служба",
]


def person_row(**values):
    """A full good row as a header → value dict; keyword names are short aliases of the columns."""
    row = {
        "Фамилия": "Иванов",
        "Имя": "Иван",
        "Отчество": "Иванович",
        "Email": "ivanov@example.org",
        "Табельный номер": "1001",
        "Муниципальное образование": "Бабынинский район",
        "Организация": "Администрация муниципального района «Бабынинский район»",
        "Должность": "Главный специалист",
        "Категория": "муниципальный служащий",
        "Дата поступления на службу": "01.02.2020",
        "Участвует в закупках": "да",
        "Обязанности по противодействию коррупции": "нет",
        "Кадровая служба": "",
    }
    aliases = {
        "last": "Фамилия",
        "first": "Имя",
        "middle": "Отчество",
        "email": "Email",
        "number": "Табельный номер",
        "municipality": "Муниципальное образование",
        "organization": "Организация",
        "position": "Должность",
        "category": "Категория",
        "hired": "Дата поступления на службу",
        "procurement": "Участвует в закупках",
        "anticorruption": "Обязанности по противодействию коррупции",
        "hr": "Кадровая служба",
    }
    row.update({aliases[key]: value for key, value in values.items()})
    return row


def write_csv(path, rows, header=HEADER, encoding="utf-8", delimiter=";", blank_lines_after=()):
    """Write rows (dicts by header) to a CSV file; an empty line after each index in ``blank_lines_after``."""
    with open(path, "w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow(header)
        for index, row in enumerate(rows):
            writer.writerow([row.get(name, "") for name in header])
            if index in blank_lines_after:
                writer.writerow([])
    return path


def write_xlsx(path, rows, header=HEADER, title=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name) for name in header])
    workbook.save(path)
    return path


@pytest.fixture
def region():
    babynino = make_municipality("Муниципальный район «Бабынинский район»", short_name="Бабынинский район")
    settlement = make_municipality(
        "Сельское поселение «Село Бабынино»",
        kind=Municipality.Kind.RURAL_SETTLEMENT,
        parent=babynino,
        short_name="Село Бабынино",
    )
    kaluga = make_municipality(
        "Городской округ «Город Калуга»", kind=Municipality.Kind.URBAN_OKRUG, short_name="Город Калуга"
    )
    return {
        "babynino": babynino,
        "settlement": settlement,
        "kaluga": kaluga,
        "babynino_admin": make_organization(
            babynino, "Администрация муниципального района «Бабынинский район»"
        ),
        "settlement_admin": make_organization(
            settlement, "Администрация сельского поселения «Село Бабынино»"
        ),
        "kaluga_admin": make_organization(kaluga, "Городская Управа города Калуги"),
        "babynino_education": make_organization(babynino, "Отдел образования"),
        "kaluga_education": make_organization(kaluga, "Отдел образования"),
        "minfin": make_organization(None, "Министерство финансов Калужской области"),
    }


def good_rows():
    return [
        person_row(),
        person_row(
            last="Петрова",
            first="Анна",
            middle="",
            email="Petrova@Example.ORG",
            number="",
            municipality="",
            organization="министерство финансов калужской области",
            position="Консультант",
            category="Государственный гражданский служащий",
            hired="2024-03-15",
            procurement="0",
            anticorruption="1",
            hr="да",
        ),
        person_row(
            last="Сёмин",
            first="Пётр",
            middle="Алексеевич",
            email="",
            number="2002",
            municipality='сельское поселение "село бабынино"',
            organization='Администрация сельского поселения "Село Бабынино"',
            position="Глава администрации",
            category="лицо, замещающее муниципальную должность",
            hired="",
            procurement="",
            anticorruption="",
            hr="нет",
        ),
    ]


def test_good_roster_creates_people_with_all_fields(tmp_path, region):
    report = import_people(write_csv(tmp_path / "roster.csv", good_rows()))

    assert (report.fatal, report.errors) == ("", [])
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert report.saved

    ivanov = User.objects.get(email="ivanov@example.org")
    assert (ivanov.last_name, ivanov.first_name, ivanov.patronymic) == ("Иванов", "Иван", "Иванович")
    assert ivanov.personnel_number == "1001"
    assert ivanov.municipality == region["babynino"]
    assert ivanov.organization == region["babynino_admin"]
    assert ivanov.position == "Главный специалист"
    assert ivanov.category == ServiceCategory.MUNICIPAL
    assert ivanov.hire_date == datetime.date(2020, 2, 1)
    assert (ivanov.has_procurement_duties, ivanov.has_anticorruption_duties, ivanov.is_hr_service) == (
        True,
        False,
        False,
    )
    assert ivanov.username == "ivanov@example.org"
    assert not ivanov.has_usable_password()
    assert ivanov.is_active

    petrova = User.objects.get(email="petrova@example.org")
    assert petrova.municipality is None
    assert petrova.organization == region["minfin"]
    assert petrova.category == ServiceCategory.STATE_CIVIL
    assert petrova.hire_date == datetime.date(2024, 3, 15)
    assert (petrova.has_procurement_duties, petrova.has_anticorruption_duties, petrova.is_hr_service) == (
        False,
        True,
        True,
    )
    assert petrova.personnel_number == ""

    semin = User.objects.get(personnel_number="2002")
    assert semin.email == ""
    assert semin.username == "tn2002"
    assert semin.municipality == region["settlement"]
    assert semin.organization == region["settlement_admin"]
    assert semin.category == ServiceCategory.MUNICIPAL_OFFICE
    assert semin.hire_date is None

    servants = User.objects.filter(groups__name=GROUP_NAMES[Role.SERVANT])
    assert set(servants) == {ivanov, petrova, semin}


def test_cp1251_csv_with_commas_reads_the_same(tmp_path, region):
    report = import_people(write_csv(tmp_path / "roster.csv", good_rows(), encoding="cp1251", delimiter=","))

    assert (report.fatal, report.errors, report.created) == ("", [], 3)
    semin = User.objects.get(personnel_number="2002")
    assert (semin.last_name, semin.first_name) == ("Сёмин", "Пётр")
    assert semin.organization == region["settlement_admin"]


def test_utf8_with_bom_reads_the_header(tmp_path, region):
    report = import_people(write_csv(tmp_path / "roster.csv", good_rows(), encoding="utf-8-sig"))

    assert (report.fatal, report.errors, report.created) == ("", [], 3)


def test_xlsx_with_date_number_and_boolean_cells(tmp_path, region):
    rows = good_rows()
    rows[0].update(
        {
            "Табельный номер": 1001,
            "Дата поступления на службу": datetime.date(2019, 12, 31),
            "Участвует в закупках": True,
            "Кадровая служба": 1,
        }
    )
    report = import_people(write_xlsx(tmp_path / "roster.xlsx", rows))

    assert (report.fatal, report.errors, report.created) == ("", [], 3)
    ivanov = User.objects.get(personnel_number="1001")
    assert ivanov.hire_date == datetime.date(2019, 12, 31)
    assert ivanov.has_procurement_duties and ivanov.is_hr_service


def test_reimport_of_the_same_file_changes_nothing(tmp_path, region):
    path = write_csv(tmp_path / "roster.csv", good_rows())
    import_people(path)
    before = {u.pk: (u.username, u.password, u.email, u.position) for u in User.objects.all()}
    memberships = User.groups.through.objects.count()

    report = import_people(path)

    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 3, [])
    assert {u.pk: (u.username, u.password, u.email, u.position) for u in User.objects.all()} == before
    assert User.groups.through.objects.count() == memberships


def test_update_by_personnel_number_keeps_the_person(tmp_path, region):
    person = make_person(
        region["kaluga_admin"], personnel_number="1001", email="old@example.org", position="Специалист"
    )
    groups = set(person.groups.all())

    report = import_people(write_csv(tmp_path / "roster.csv", [person_row()]))

    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 1, 0, [])
    person.refresh_from_db()
    assert User.objects.count() == 1
    assert person.email == "ivanov@example.org"
    assert person.position == "Главный специалист"
    assert person.organization == region["babynino_admin"]
    assert person.municipality == region["babynino"]
    assert person.username.startswith("person")  # the login is never changed by an import
    assert set(person.groups.all()) == groups


def test_match_by_email_ignores_case(tmp_path, region):
    person = make_person(email="ivanov@example.org", personnel_number="")

    report = import_people(write_csv(tmp_path / "roster.csv", [person_row(email="IVANOV@Example.org")]))

    assert (report.created, report.updated, report.errors) == (0, 1, [])
    person.refresh_from_db()
    assert person.personnel_number == "1001"  # the number is added to the known person


def test_empty_identity_cell_keeps_what_the_person_has(tmp_path, region):
    person = make_person(region["babynino_admin"], personnel_number="1001", email="kept@example.org")

    report = import_people(write_csv(tmp_path / "roster.csv", [person_row(email="")]))

    assert (report.updated, report.errors) == (1, [])
    person.refresh_from_db()
    assert person.email == "kept@example.org"


def errors_by_line(report):
    found = {}
    for error in report.errors:
        found.setdefault(error.line, []).append(error.message)
    return found


def test_bad_rows_are_reported_with_their_lines_and_nothing_is_imported(tmp_path, region):
    rows = [
        person_row(),  # line 2: good
        person_row(email="a@example.org", number="1", municipality="Тридевятый район"),  # 3
        person_row(email="b@example.org", number="2", last=""),  # 4
        person_row(email="c@example.org", number="3", hired="31.02.2020"),  # 5
        person_row(email="не-почта", number="4"),  # 6
        person_row(email="d@example.org", number="5", category="стажёр"),  # 7
        person_row(email="dup@example.org", number="6"),  # 8
        person_row(email="DUP@example.org", number="7"),  # 9
        person_row(email="e@example.org", number="8", organization="Городская Управа города Калуги"),  # 10
        person_row(email="f@example.org", number="9", procurement="может быть"),  # 11, then an empty line 12
        person_row(email="g@example.org", number="1", first=""),  # 13: also repeats the number of line 3
    ]
    path = write_csv(tmp_path / "roster.csv", rows, blank_lines_after={9})

    report = import_people(path)

    errors = errors_by_line(report)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 13]
    assert "неизвестное муниципальное образование «Тридевятый район»" in errors[3]
    assert "не заполнена фамилия" in errors[4]
    assert any("31.02.2020" in message for message in errors[5])
    assert any("неверный адрес электронной почты" in message for message in errors[6])
    assert any("стажёр" in message for message in errors[7])
    assert errors[8] == errors[9] == ["email dup@example.org повторяется в строках 8, 9"]
    assert any("Городская Управа города Калуги" in m and "Бабынинский район" in m for m in errors[10])
    assert any("Участвует в закупках" in message for message in errors[11])
    assert "не заполнено имя" in errors[13]
    assert "табельный номер 1 повторяется в строках 3, 13" in errors[13]
    assert "табельный номер 1 повторяется в строках 3, 13" in errors[3]
    assert report.rejected == 10
    assert (report.created, report.saved) == (1, False)  # the good row would be created, but nothing is
    assert User.objects.count() == 0


def test_skip_invalid_imports_only_the_good_rows(tmp_path, region):
    rows = [
        person_row(),
        person_row(email="a@example.org", number="1", municipality="Тридевятый район"),
        person_row(last="Смирнова", email="smirnova@example.org", number="2"),
    ]

    report = import_people(write_csv(tmp_path / "roster.csv", rows), skip_invalid=True)

    assert report.saved
    assert (report.created, report.rejected) == (2, 1)
    assert [e.line for e in report.errors] == [3]
    assert set(User.objects.values_list("email", flat=True)) == {"ivanov@example.org", "smirnova@example.org"}


def test_dry_run_reports_and_writes_nothing(tmp_path, region):
    report = import_people(write_csv(tmp_path / "roster.csv", good_rows()), dry_run=True)

    assert (report.created, report.errors, report.saved) == (3, [], False)
    assert User.objects.count() == 0


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_missing_required_column_is_fatal(tmp_path, region, skip_invalid):
    header = [name for name in HEADER if name != "Имя"]
    report = import_people(
        write_csv(tmp_path / "roster.csv", good_rows(), header=header), skip_invalid=skip_invalid
    )

    assert "«Имя»" in report.fatal
    assert not report.saved
    assert User.objects.count() == 0


def test_email_or_personnel_number_column_is_required(tmp_path, region):
    header = [name for name in HEADER if name not in ("Email", "Табельный номер")]
    report = import_people(write_csv(tmp_path / "roster.csv", good_rows(), header=header))

    assert "«Email»" in report.fatal and "«Табельный номер»" in report.fatal
    assert User.objects.count() == 0


def test_too_many_rows_is_fatal(tmp_path, region, settings):
    settings.PEOPLE_IMPORT_MAX_ROWS = 2
    report = import_people(write_csv(tmp_path / "roster.csv", good_rows()), skip_invalid=True)

    assert "больше 2 строк" in report.fatal
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("roster.xlsx", "Фамилия;Имя\n".encode(), "не является"),
        ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "XLS"),
        ("roster.csv", b"PK\x03\x04rest-of-a-zip", "архив"),
        ("roster.csv", b"\x00\x01\x02binary", "двоичные"),
        ("roster.csv", b"", "пуст"),
        ("roster.pdf", b"%PDF-1.4", "не поддерживается"),
        ("roster.xlsx", b"PK\x03\x04not really a zip", "повреждён"),
    ],
)
def test_unreadable_files_are_fatal(tmp_path, region, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)

    report = import_people(path, skip_invalid=True)

    assert reason in report.fatal
    assert User.objects.count() == 0


def test_email_of_one_person_and_number_of_another_is_rejected(tmp_path, region):
    make_person(email="ivanov@example.org", personnel_number="555", last_name="Иванов")
    make_person(email="other@example.org", personnel_number="1001", last_name="Другой")

    report = import_people(write_csv(tmp_path / "roster.csv", [person_row()]))

    [error] = report.errors
    assert error.line == 2
    assert "ivanov@example.org" in error.message and "1001" in error.message
    assert "Другой" in error.message


def test_known_email_with_another_personnel_number_is_rejected(tmp_path, region):
    make_person(email="ivanov@example.org", personnel_number="555")

    report = import_people(write_csv(tmp_path / "roster.csv", [person_row()]))

    [error] = report.errors
    assert "555" in error.message
    assert User.objects.get(email="ivanov@example.org").personnel_number == "555"


def test_two_rows_about_one_known_person_are_both_rejected(tmp_path, region):
    make_person(email="ivanov@example.org", personnel_number="1001")
    rows = [person_row(number=""), person_row(email="")]

    report = import_people(write_csv(tmp_path / "roster.csv", rows))

    errors = errors_by_line(report)
    assert sorted(errors) == [2, 3]
    assert "2, 3" in errors[2][0] and errors[2] == errors[3]


def test_headers_are_matched_loosely_after_a_title_row(tmp_path, region):
    header = [
        " ФАМИЛИЯ ",
        "имя:",
        "Отчество",
        "E-mail",
        "Таб. №",
        "МО",
        "Орган",
        "Должность",
        "Категория",
        "Дата приёма",
        "Закупки",
        "Противодействие коррупции",
        "Кадры",
        "Примечание",
    ]
    rows = [dict(zip(header, person_row().values(), strict=False))]

    report = import_people(
        write_xlsx(tmp_path / "roster.xlsx", rows, header=header, title="Список работников")
    )

    assert (report.fatal, report.errors, report.created) == ("", [], 1)
    assert report.ignored_columns == ["Примечание"]
    person = User.objects.get()
    assert person.organization == region["babynino_admin"]
    assert person.has_procurement_duties


def test_organization_is_looked_up_within_the_row_municipality(tmp_path, region):
    rows = [
        person_row(
            email="a@example.org", number="1", municipality="Город Калуга", organization="отдел образования"
        ),
        person_row(
            email="b@example.org",
            number="2",
            municipality="Бабынинский район",
            organization="Отдел образования",
        ),
    ]

    report = import_people(write_csv(tmp_path / "roster.csv", rows))

    assert report.errors == []
    assert User.objects.get(email="a@example.org").organization == region["kaluga_education"]
    assert User.objects.get(email="b@example.org").organization == region["babynino_education"]


def test_regional_organization_needs_an_empty_municipality(tmp_path, region):
    row = person_row(organization="Министерство финансов Калужской области")

    report = import_people(write_csv(tmp_path / "roster.csv", [row]))

    [error] = report.errors
    assert "Министерство финансов" in error.message and "Бабынинский район" in error.message


def test_logins_do_not_clash_with_existing_ones(tmp_path, region):
    make_person(username="ivanov@example.org", email="somebody@example.org", personnel_number="")
    make_person(username="TN2002", email="", personnel_number="")
    rows = [person_row(), person_row(last="Сёмин", email="", number="2002")]

    import_people(write_csv(tmp_path / "roster.csv", rows))

    assert User.objects.get(email="ivanov@example.org").username == "ivanov@example.org-2"
    assert User.objects.get(personnel_number="2002").username == "tn2002-2"


def test_queries_do_not_grow_with_the_number_of_rows(tmp_path, region):
    def queries_for(count, name):
        rows = [person_row(email=f"{name}{i}@example.org", number=f"{name}{i}") for i in range(count)]
        path = write_csv(tmp_path / f"{name}.csv", rows)
        with CaptureQueriesContext(connection) as queries:
            report = import_people(path)
        assert report.created == count
        return len(queries)

    few, many = queries_for(30, "a"), queries_for(300, "b")
    # Ten times the rows adds only a few INSERT batches, never a query per row.
    assert many < few + 10


def test_many_updates_are_saved_whether_values_repeat_or_not(tmp_path, region):
    people = [
        make_person(region["kaluga_admin"], personnel_number=f"N{i}", email=f"n{i}@example.org")
        for i in range(30)
    ]
    rows = [
        person_row(
            email=f"n{i}@example.org", number=f"N{i}", hired=f"{i + 1:02d}.01.2021", position="Инспектор"
        )
        for i in range(30)
    ]

    report = import_people(write_csv(tmp_path / "roster.csv", rows))

    assert (report.updated, report.errors) == (30, [])
    for i, person in enumerate(people):
        person.refresh_from_db()
        assert person.position == "Инспектор"  # one value for all: saved value by value
        assert person.hire_date == datetime.date(2021, 1, i + 1)  # all different: saved with bulk_update
        assert (person.municipality, person.organization) == (region["babynino"], region["babynino_admin"])


def test_an_administrator_account_is_never_changed_by_an_import(tmp_path, region):
    admin = make_person(personnel_number="1001", email="admin@example.org", is_superuser=True)

    report = import_people(write_csv(tmp_path / "roster.csv", [person_row(email="thief@example.org")]))

    [error] = report.errors
    assert "администратор" in error.message
    admin.refresh_from_db()
    assert admin.email == "admin@example.org"


def test_the_example_in_the_documentation_imports(tmp_path, region, settings):
    doc = (settings.BASE_DIR / "docs" / "import-people.md").read_text(encoding="utf-8")
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.csv"
    path.write_text(example, encoding="utf-8")

    report = import_people(path)

    assert (report.fatal, report.errors, report.created) == ("", [], 3)
    assert User.objects.get(personnel_number="2002").organization == region["settlement_admin"]


def test_names_match_whatever_the_quotes_case_and_yo(tmp_path, region):
    youth = make_organization(region["babynino"], "Отдел по делам молодёжи «Ровесник»")
    row = person_row(
        municipality="  МУНИЦИПАЛЬНЫЙ район 'Бабынинский   район' ",
        organization='отдел по делам молодежи "ровесник"',
    )

    report = import_people(write_csv(tmp_path / "roster.csv", [row]))

    assert report.errors == []
    assert User.objects.get().organization == youth


def test_a_failure_while_writing_rolls_everything_back(tmp_path, region, monkeypatch):
    def collide(users):
        raise IntegrityError("someone took a login meanwhile")

    monkeypatch.setattr("people.importing.changes._make_servants", collide)  # after the users are inserted

    report = import_people(write_csv(tmp_path / "roster.csv", good_rows()))

    assert "повторите импорт" in report.fatal
    assert not report.saved
    assert User.objects.count() == 0


def test_a_row_needs_an_email_or_a_personnel_number(tmp_path, region):
    rows = [person_row(), person_row(last="Безымянный", email="", number="")]

    report = import_people(write_csv(tmp_path / "roster.csv", rows))

    assert errors_by_line(report) == {3: ["нужен email или табельный номер"]}
