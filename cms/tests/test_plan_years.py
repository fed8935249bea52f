"""Plans per year: import from XLSX and JSON with a validation report, all or nothing; a plan by example;
items continuing the previous plan's items; hand entry in the admin; who may do it."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cms.models import Plan, PlanItem, PlanSection
from cms.plan_import import MAX_FILE_BYTES, read_plan_file, write_plan_xlsx
from cms.plan_loading import BUNDLED_PLAN_2024, load_plan, read_plan_json
from cms.plan_years import continuation, copy_plan, plan_as_data, shift_years
from people.factories import make_municipal_manager, make_municipality, make_person, make_regional_manager
from people.roles import Role

pytestmark = pytest.mark.django_db

IMPORT_URL = "cms_plans:import"

REQUISITES = {
    "Название плана": "План противодействия коррупции в органах исполнительной власти Калужской области "
    "на 2025 год",
    "Год": 2025,
    "Вид акта": "Постановление",
    "Кем утверждён": "Губернатора Калужской области",
    "Дата акта": datetime.datetime(2024, 12, 10),
    "Номер акта": "601",
    "Название акта": "Об утверждении плана противодействия коррупции в органах исполнительной власти "
    "Калужской области на 2025 год",
}
HEADER = ["N п/п", "Наименование мероприятия", "Сроки реализации", "Ответственные исполнители"]
ROWS = [
    ["1.", "Организационные меры", None, None],
    ["1.1", "Рассмотрение отчёта о выполнении плана", "январь 2025 года", "Администрация Губернатора"],
    ["5.", "Антикоррупционное образование", None, None],
    ["5.1", "Обучение государственных гражданских служащих", "в течение 2025 года", "органы власти"],
    ["5.2", "Семинары", "в течение 2025 года", "Администрация Губернатора"],
    ["5.10", "Новое мероприятие", "в течение 2025 года", "Администрация Губернатора"],
]


def xlsx(requisites=None, rows=None, header=None, sheets=("План", "Мероприятия")):
    """A workbook written with openpyxl directly (not with the code under test)."""
    workbook = openpyxl.Workbook()
    head = workbook.active
    head.title = sheets[0]
    head.append(["Поле", "Значение"])
    for label, value in (REQUISITES if requisites is None else requisites).items():
        head.append([label, value])
    table = workbook.create_sheet(sheets[1])
    table.append(HEADER if header is None else header)
    for row in ROWS if rows is None else rows:
        table.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def as_json(data):
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def plan_json(**changes):
    data = read_plan_json(BUNDLED_PLAN_2024).as_dict()
    data["plan"].update(changes)
    return data


def messages_of(report):
    return [str(problem) for problem in report.problems]


@pytest.fixture
def plan_2024():
    load_plan(read_plan_json(BUNDLED_PLAN_2024))
    return Plan.objects.get(year=2024)


# --- reading files --------------------------------------------------------------------------------


def test_a_good_workbook_reads_into_the_plan():
    report = read_plan_file("plan-2025.xlsx", xlsx())
    assert report.ok, messages_of(report)
    data = report.data
    assert (data.year, data.act_date, data.act_number) == (2025, datetime.date(2024, 12, 10), "601")
    assert [s.number for s in data.sections] == [1, 5]
    assert [i.number for i in data.items] == ["1.1", "5.1", "5.2", "5.10"]


def test_workbook_problems_are_all_reported_with_their_rows():
    rows = [
        ["1.", "Организационные меры", None, None],
        ["1.1", "Мероприятие", "2025", "исполнитель"],
        ["2.1", "Не в своём разделе", "2025", "исполнитель"],
        ["1.1", "Повтор", "2025", "исполнитель"],
        ["1.2", "", "2025", ""],
        ["1.", "Раздел ещё раз", None, None],
        ["x", "Непонятный номер", "2025", "исполнитель"],
        ["3.", "Пустой раздел", None, None],
    ]
    requisites = dict(REQUISITES, **{"Год": 1999})
    del requisites["Номер акта"]
    report = read_plan_file("plan.xlsx", xlsx(requisites, rows))
    assert not report.ok
    problems = messages_of(report)
    expected = [
        "Лист «План», строка 3: год — целое число от 2000 до 2100, а указано «1999».",
        "Лист «План», поле «Номер акта»: не заполнено поле «Номер акта».",
        "Лист «Мероприятия», строка 4: мероприятие 2.1 стоит в разделе 1",
        "Лист «Мероприятия», строка 5: мероприятие 1.1 повторяется (уже было: Лист «Мероприятия», строка 3).",
        "Лист «Мероприятия», строка 6: у мероприятия 1.2 не заполнено: наименование, "
        "ответственные исполнители.",
        "Лист «Мероприятия», строка 7: раздел 1 повторяется",
        "Лист «Мероприятия», строка 8: номер «x» не похож ни на раздел",
        "Лист «Мероприятия», строка 9: в разделе 3 нет мероприятий.",
    ]
    for text in expected:
        assert any(problem.startswith(text) for problem in problems), (text, problems)
    assert len(problems) == len(expected)


def test_missing_columns_and_sheets_are_named():
    report = read_plan_file("plan.xlsx", xlsx(header=["N п/п", "Наименование мероприятия", "Сроки"]))
    assert messages_of(report) == [
        "Лист «Мероприятия», строка 1: в первой строке нет столбцов: «Сроки реализации», «Ответственные "
        "исполнители». Нужны: «N п/п», «Наименование мероприятия», «Сроки реализации», «Ответственные "
        "исполнители»."
    ]
    report = read_plan_file("plan.xlsx", xlsx(sheets=("Реквизиты", "Мероприятия")))
    assert messages_of(report) == ["В книге нет листа «План». Возьмите за основу шаблон со страницы импорта."]


def test_numbers_excel_made_numbers_or_dates_are_explained():
    rows = [
        ["5", "Образование", None, None],
        [5.1, "Первое", "2025", "исполнитель"],
        [5.1, "Было 5.10", "2025", "исполнитель"],
        [datetime.datetime(2025, 1, 5), "Стало датой", "2025", "исполнитель"],
    ]
    problems = messages_of(read_plan_file("plan.xlsx", xlsx(rows=rows)))
    assert any("5.1 повторяется" in p and "задайте столбцу «N п/п» текстовый формат" in p for p in problems)
    assert any("строка 5: номер превратился в дату (05.01.2025)" in p for p in problems)


def test_the_title_year_must_be_the_plans_year():
    problems = messages_of(read_plan_file("plan.xlsx", xlsx(dict(REQUISITES, **{"Год": 2026}))))
    assert problems == ["Лист «План», строка 2: в названии плана — 2025 год, а в поле «Год» — 2026."]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.xlsx", b"", "Файл пуст."),
        ("plan.csv", b"a;b", "Загрузите файл XLSX или JSON."),
        ("plan.xlsx", b"PK\x03\x04" + b"\x00" * 200, "Файл не читается как книга Excel (XLSX)."),
        ("plan.xlsx", b"{}", "Файл не читается как книга Excel (XLSX)."),
        ("plan.json", b"\xff\xfe{", "Файл JSON должен быть в кодировке UTF-8."),
        ("plan.json", b"[1, 2]", "plan: в файле нет объекта «plan» с реквизитами плана."),
        ("plan.json", b"x" * (MAX_FILE_BYTES + 1), "Файл больше 2,0\xa0МБ."),
    ],
)
def test_unreadable_files(name, content, message):
    assert messages_of(read_plan_file(name, content)) == [message]


def test_json_problems_name_their_path():
    data = plan_json(year="2025", act_date="10.12.2024")
    data["sections"][4]["items"][1]["number"] = "4.2"
    data["sections"][4]["items"][2]["number"] = "5.1"
    data["sections"][0]["items"][0]["executors"] = ""
    problems = messages_of(read_plan_file("plan.json", as_json(data)))
    assert "plan.title: в названии плана — 2024 год, а в поле «Год» — 2025." in problems
    assert "sections[4].items[1].number: мероприятие 4.2 стоит в разделе 5" in " ".join(problems)
    assert any(
        p.startswith("sections[4].items[2].number: мероприятие 5.1 повторяется (уже было: ") for p in problems
    )
    assert (
        "sections[0].items[0].number: у мероприятия 1.1 не заполнено: ответственные исполнители." in problems
    )
    # The date in the Russian way is accepted; a JSON that is not JSON says where.
    assert not any(p.startswith("plan.act_date") for p in problems)
    assert messages_of(read_plan_file("plan.json", b'{"plan": ')) == [
        "строка 1, позиция 10: это не JSON: Expecting value."
    ]


def test_the_bundled_json_and_a_written_workbook_read_back_the_same(plan_2024):
    bundled = read_plan_file("plan_2024.json", BUNDLED_PLAN_2024.read_bytes())
    assert bundled.ok, messages_of(bundled)
    stream = io.BytesIO()
    write_plan_xlsx(stream, plan_as_data(plan_2024))
    workbook = read_plan_file("plan-2024.xlsx", stream.getvalue())
    assert workbook.ok, messages_of(workbook)
    assert workbook.data == bundled.data == plan_as_data(plan_2024)


def test_the_empty_template_reads_as_a_plan_to_fill_in():
    stream = io.BytesIO()
    write_plan_xlsx(stream)
    report = read_plan_file("template.xlsx", stream.getvalue())
    # Only the requisites' examples are not a plan yet.
    assert all(p.startswith("Лист «План»") for p in messages_of(report)), messages_of(report)
    assert [i.number for i in report.data.items] == ["1.1", "1.2"]


# --- the admin page -------------------------------------------------------------------------------


def upload(client, name, content, action="check"):
    return client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile(name, content), action: "1"})


@pytest.fixture
def manager_client(client):
    client.force_login(make_regional_manager())
    return client


def test_check_shows_what_the_import_will_do_and_saves_nothing(manager_client, plan_2024):
    response = upload(manager_client, "plan-2025.xlsx", xlsx())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ошибок нет. Загрузка создаст план на 2025 год. Ничего не сохранено." in html
    assert "Мероприятия: всего 4, создано 4" in html
    assert "Продолжают мероприятия плана на 2024 год (тот же номер): 3 из 4." in html
    assert "Новые номера: 5.10." in html
    assert not Plan.objects.filter(year=2025).exists()


def test_import_saves_the_plan_and_a_second_import_updates_it(manager_client, plan_2024):
    response = upload(manager_client, "plan-2025.xlsx", xlsx(), action="import")
    assert response.status_code == 200
    assert "План на 2025 год сохранён." in response.content.decode()
    plan = Plan.objects.get(year=2025)
    assert plan.act_reference == "Постановление Губернатора Калужской области от 10.12.2024 N 601"
    assert list(PlanItem.objects.of_year(2025).values_list("number", flat=True)) == [
        "1.1",
        "5.1",
        "5.2",
        "5.10",
    ]

    rows = [list(row) for row in ROWS]
    rows[3][1] = "Обучение служащих (новая редакция)"
    response = upload(manager_client, "plan-2025.xlsx", xlsx(rows=rows), action="import")
    assert "Мероприятия: всего 4, создано 0, обновлено 1, без изменений 3." in response.content.decode()
    assert PlanItem.objects.of_year(2025).get(number="5.1").title == "Обучение служащих (новая редакция)"


def test_a_file_with_a_problem_writes_nothing(manager_client, plan_2024):
    rows = [*ROWS, ["5.2", "Повтор", "2025", "исполнитель"]]
    response = upload(manager_client, "plan-2025.xlsx", xlsx(rows=rows), action="import")
    html = response.content.decode()
    assert response.status_code == 200
    assert "План не загружен" in html and "Мероприятие 5.2 повторяется" in html
    assert not Plan.objects.filter(year=2025).exists()
    assert PlanSection.objects.count() == 6


def test_a_failure_while_saving_rolls_everything_back(manager_client, plan_2024, monkeypatch):
    from cms import plan_loading

    calls = []
    original = plan_loading._sync

    def failing_sync(instance, values):
        calls.append(instance)
        if len(calls) == 4:
            raise RuntimeError("disk full")
        return original(instance, values)

    monkeypatch.setattr(plan_loading, "_sync", failing_sync)
    with pytest.raises(RuntimeError):
        upload(manager_client, "plan-2025.xlsx", xlsx(), action="import")
    assert not Plan.objects.filter(year=2025).exists()
    assert not PlanItem.objects.of_year(2025).exists()


def test_json_import_through_the_page(manager_client):
    data = read_plan_json(BUNDLED_PLAN_2024).as_dict()
    response = upload(manager_client, "plan.json", as_json(data), action="import")
    assert "План на 2024 год сохранён." in response.content.decode()
    assert PlanItem.objects.of_year(2024).count() == 39
    assert "Более раннего плана в реестре нет" in response.content.decode()


def test_the_form_refuses_other_files_and_large_ones(manager_client, monkeypatch):
    response = upload(manager_client, "plan.docx", b"x")
    assert response.status_code == 200
    assert "Загрузите файл XLSX или JSON." in response.content.decode()
    monkeypatch.setattr("cms.plan_admin.MAX_FILE_BYTES", 10)
    response = upload(manager_client, "plan.json", b"x" * 11)
    assert "Файл больше 10\xa0байт." in response.content.decode()


def test_template_and_plan_downloads(manager_client, plan_2024):
    template = manager_client.get(reverse("cms_plans:template"))
    assert template.status_code == 200
    assert template["Content-Disposition"] == 'attachment; filename="plan-template.xlsx"'
    assert openpyxl.load_workbook(io.BytesIO(template.content)).sheetnames == [
        "План",
        "Мероприятия",
        "Пояснения",
    ]
    as_xlsx = manager_client.get(reverse("cms_plans:download", args=[2024, "xlsx"]))
    assert read_plan_file("plan.xlsx", as_xlsx.content).data == plan_as_data(plan_2024)
    as_file = manager_client.get(reverse("cms_plans:download", args=[2024, "json"]))
    assert json.loads(as_file.content) == json.loads(BUNDLED_PLAN_2024.read_text(encoding="utf-8"))
    assert manager_client.get(reverse("cms_plans:download", args=[2024, "pdf"])).status_code == 404
    assert manager_client.get(reverse("cms_plans:download", args=[2031, "xlsx"])).status_code == 404


def test_load_plan_command_reads_a_workbook(tmp_path, capsys):
    path = tmp_path / "plan-2025.xlsx"
    path.write_bytes(xlsx())
    call_command("load_plan", "--file", str(path))
    assert PlanItem.objects.of_year(2025).count() == 4
    assert "Продолжают мероприятия плана" not in capsys.readouterr().out  # no earlier plan
    path.write_bytes(xlsx(rows=[["1.1", "Без раздела", "2025", "исполнитель"]]))
    with pytest.raises(CommandError, match=r"мероприятие 1\.1 стоит до заголовка своего раздела"):
        call_command("load_plan", "--file", str(path))


# --- a plan by example ----------------------------------------------------------------------------


def test_copy_makes_next_years_plan_with_shifted_years(plan_2024):
    result = copy_plan(plan_2024, 2026)
    plan = result.plan
    assert plan.title.endswith("на 2026 год")
    assert plan.act_title.endswith("на 2026 год")
    assert (plan.act_date, plan.act_number) == (datetime.date(2025, 12, 7), "587")
    assert PlanItem.objects.of_year(2026).count() == 39
    item = PlanItem.objects.of_year(2026).get(number="2.2")
    assert "на 2025 год" in item.title  # the report on the previous year's plan
    assert PlanItem.objects.of_year(2026).get(number="2.4").title.count("на 2027 год") == 2
    assert shift_years("сбор - не позднее 30 апреля 2024 года, N 2031", 2024, 2026) == (
        "сбор - не позднее 30 апреля 2026 года, N 2031"
    )
    with pytest.raises(ValueError, match=r"План на 2026 год уже есть\."):
        copy_plan(plan_2024, 2026)


def test_the_copy_page_creates_the_plan(manager_client, plan_2024):
    page = manager_client.get(reverse("cms_plans:copy"))
    assert page.status_code == 200
    assert 'value="2025"' in page.content.decode()
    response = manager_client.post(
        reverse("cms_plans:copy"),
        {"source": plan_2024.pk, "year": "2025", "act_date": "2024-12-10", "act_number": "601"},
    )
    plan = Plan.objects.get(year=2025)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailsnippets_cms_plan:edit", args=[plan.pk])
    assert plan.act_reference == "Постановление Губернатора Калужской области от 10.12.2024 N 601"
    again = manager_client.post(reverse("cms_plans:copy"), {"source": plan_2024.pk, "year": "2025"})
    assert "План на 2025 год уже есть" in again.content.decode()
    wrong = manager_client.post(reverse("cms_plans:copy"), {"source": plan_2024.pk, "year": "1999"})
    assert wrong.status_code == 200 and Plan.objects.count() == 2


# --- continuing items -----------------------------------------------------------------------------


def test_items_continue_through_the_plans_while_the_number_stays(plan_2024):
    copy_plan(plan_2024, 2025)
    copy_plan(plan_2024, 2026)
    item_2026 = PlanItem.objects.of_year(2026).get(number="5.1")
    assert [i.plan.year for i in item_2026.continued_items()] == [2026, 2025, 2024]
    assert [i.plan.year for i in PlanItem.objects.of_year(2024).get(number="5.1").continued_items()] == [2024]

    # 2025's plan drops 5.1: 2026's 5.1 no longer continues 2024's.
    PlanItem.objects.of_year(2025).get(number="5.1").delete()
    assert [i.plan.year for i in item_2026.continued_items()] == [2026]


def test_continuation_counts_the_links_that_keep_counting(plan_2024):
    from courses.factories import make_course

    course = make_course()
    course.plan_items.set(PlanItem.objects.of_year(2024).filter(number__in=["5.1", "5.7"]))
    course.save()
    data = plan_as_data(plan_2024)
    data.year = 2025
    data.sections[4].items[0].title = "Другое"  # 5.1
    data.sections[4].items.pop()  # 5.9
    summary = continuation(data)
    assert summary.previous == plan_2024
    assert (len(summary.kept), summary.retitled, summary.dropped) == (38, ["5.1"], ["5.9"])
    assert summary.activities == [("курсы", 1)]
    assert "Привязано к продолжаемым мероприятиям: курсы — 1." in summary.summary_lines()


# --- hand entry in the admin ----------------------------------------------------------------------


def test_a_plan_is_entered_by_hand_in_the_admin(manager_client):
    response = manager_client.post(
        reverse("wagtailsnippets_cms_plan:add"),
        {
            "title": "План на 2027 год",
            "year": "2027",
            "act_issuer": "Губернатора Калужской области",
            "act_kind": "Постановление",
            "act_date": "2026-12-01",
            "act_number": "700",
            "act_title": "Об утверждении плана на 2027 год",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get(year=2027)
    response = manager_client.post(
        reverse("wagtailsnippets_cms_plansection:add"),
        {"plan": plan.pk, "number": "5", "title": "Образование"},
    )
    assert response.status_code == 302
    section = PlanSection.objects.get(plan=plan)
    assert str(section) == "5. Образование (2027)"
    item = {"section": section.pk, "title": "Семинары", "deadline": "в течение года", "executors": "АГКО"}

    wrong = manager_client.post(reverse("wagtailsnippets_cms_planitem:add"), {**item, "number": "4.2"})
    assert wrong.status_code == 200
    assert "Мероприятие 4.2 не может стоять в разделе 5." in wrong.content.decode()
    malformed = manager_client.post(reverse("wagtailsnippets_cms_planitem:add"), {**item, "number": "пять"})
    assert "Номер мероприятия пишется как «5.2»" in malformed.content.decode()
    assert (
        manager_client.post(
            reverse("wagtailsnippets_cms_planitem:add"), {**item, "number": "5.12."}
        ).status_code
        == 302
    )
    created = PlanItem.objects.get(section=section)
    assert (created.number, created.position, str(created)) == ("5.12", 12, "5.12 (2027) Семинары")

    bad_year = manager_client.post(reverse("wagtailsnippets_cms_plan:add"), {"year": "1999", "title": "x"})
    assert "Убедитесь, что это значение больше либо равно 2000." in bad_year.content.decode()


# --- who may -------------------------------------------------------------------------------------

PAGES = [
    ("cms_plans:import", []),
    ("cms_plans:template", []),
    ("cms_plans:download", [2024, "xlsx"]),
    ("cms_plans:copy", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_only_those_who_edit_plans_may_use_the_plan_files(client, plan_2024, name, args):
    url = reverse(name, args=args)
    assert client.get(url)["Location"].startswith(reverse("wagtailadmin_login"))
    for role in (Role.SERVANT, Role.ORGANIZER):
        client.force_login(make_person(role=role))
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
    for user in (make_person(role=Role.TRAINER), make_municipal_manager(make_municipality())):
        client.force_login(user)
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home")), user
        assert client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
    client.force_login(make_regional_manager())
    assert client.get(url).status_code == 200
    client.force_login(make_person(role=None, is_superuser=True, is_staff=True))
    assert client.get(url).status_code == 200


def test_a_trainer_cannot_import_by_post(client):
    client.force_login(make_person(role=Role.TRAINER))
    response = upload(client, "plan.json", as_json(read_plan_json(BUNDLED_PLAN_2024).as_dict()), "import")
    assert response.status_code == 302
    assert not Plan.objects.exists()


def test_the_plan_menu_offers_the_import_to_managers_only(client, plan_2024):
    client.force_login(make_regional_manager())
    html = client.get(reverse("wagtailsnippets_cms_plan:list")).content.decode()
    assert reverse("cms_plans:import") in html and reverse("cms_plans:copy") in html
    client.force_login(make_person(role=Role.TRAINER))
    html = client.get(reverse("wagtailsnippets_cms_plan:list")).content.decode()
    assert reverse("cms_plans:import") not in html


# --- the demo ------------------------------------------------------------------------------------


def test_the_demo_copies_the_seed_plan_to_this_year_once(plan_2024):
    import io as _io

    from django.utils import timezone

    from cms.demo import build_demo_plan

    this_year = timezone.localdate().year
    out = _io.StringIO()
    build_demo_plan(out, {})
    assert PlanItem.objects.of_year(this_year).count() == 39
    build_demo_plan(out, {})
    assert Plan.objects.count() == 2
    assert f"План на {this_year} год уже есть — пропускаю." in out.getvalue()


def test_the_demo_plan_needs_the_seed_plan():
    import io as _io

    from cms.demo import build_demo_plan

    out = _io.StringIO()
    build_demo_plan(out, {})
    assert not Plan.objects.exists()
    assert "сначала выполните load_plan" in out.getvalue()
