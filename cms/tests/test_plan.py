"""The 2024 anti-corruption plan: parsing the decree's text, the bundled data, loading, the admin."""

import copy
import json
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from cms.models import Plan, PlanItem, PlanSection
from cms.plan_loading import BUNDLED_PLAN_2024, load_plan, read_plan_json
from cms.plan_seed import ParsedPlan, PlanDataError, PlanParseError, parse_plan_text
from people.factories import make_municipal_manager, make_municipality, make_person, make_regional_manager
from people.roles import Role

SEED = settings.BASE_DIR.parent / "shared" / "seeds" / "anticorruption-plan-2024.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"the seed document {SEED} is not in this checkout")

ITEM_5_8_TITLE = (
    "Обеспечение участия лиц, впервые поступивших на государственную гражданскую службу Калужской "
    "области и замещающих должности, связанные с соблюдением антикоррупционных стандартов, в "
    "мероприятиях по профессиональному развитию в области противодействия коррупции"
)
BOTH_EXECUTORS = "уполномоченный орган, органы исполнительной власти Калужской области"


@pytest.fixture(scope="module")
def bundled():
    return json.loads(BUNDLED_PLAN_2024.read_text(encoding="utf-8"))


@pytest.fixture
def loaded(db, bundled):
    load_plan(bundled)
    return Plan.objects.get(year=2024)


def item_of(data, number):
    return next(item for section in data["sections"] for item in section["items"] if item["number"] == number)


def document(*rows, act_title="Об утверждении плана противодействия коррупции в органе на 2030 год"):
    """A small decree export: the requisites, the plan heading, the table header and ``rows``."""
    plan_title = "План " + act_title.removeprefix("Об утверждении плана ")
    return "\n".join(
        [
            "КонсультантПлюс",
            "",
            "Постановление Губернатора Калужской",
            "области от 01.12.2029 N 12",
            f'"{act_title}"',
            "",
            "Документ предоставлен **КонсультантПлюс**",
            "",
            plan_title.upper(),
            "",
            "N п/п\tНаименование мероприятия\tСроки реализации\tОтветственные исполнители",
            *rows,
        ]
    )


SECTION_1 = "1. Первый раздел\t\t\t"
ITEM_1_1 = "1.1\tПервое мероприятие\tв течение года\tуполномоченный орган"


# The seed document and the bundled data


@needs_seed
def test_bundled_json_is_what_the_parser_makes_of_the_seed(bundled):
    parsed = parse_plan_text(SEED.read_text(encoding="utf-8"))
    assert parsed.as_dict() == bundled, (
        "cms/data/plan_2024.json is out of date with the seed; "
        "regenerate it from parse_plan_text(seed).as_dict()"
    )


@needs_seed
def test_seed_rows_are_all_there():
    """Every numbered row of the seed's table became an item, and nothing else did."""
    text = SEED.read_text(encoding="utf-8")
    row_numbers = re.findall(r"^(\d+\.\d+)\t", text, flags=re.MULTILINE)
    parsed = parse_plan_text(text)
    assert [item.number for item in parsed.items] == row_numbers
    assert len(parsed.sections) == len(re.findall(r"^\d+\. \S.*\t\t\t$", text, flags=re.MULTILINE))


def test_bundled_plan_has_the_decree_facts(bundled):
    head = bundled["plan"]
    assert head["act_kind"] == "Постановление"
    assert head["act_issuer"] == "Губернатора Калужской области"
    assert head["act_date"] == "2023-12-07"
    assert head["act_number"] == "587"
    assert head["act_title"] == (
        "Об утверждении плана противодействия коррупции в органах исполнительной власти Калужской "
        "области на 2024 год"
    )
    assert (
        head["title"]
        == "План противодействия коррупции в органах исполнительной власти Калужской области на 2024 год"
    )
    assert head["year"] == 2024


def test_bundled_plan_has_6_sections_and_39_items(bundled):
    assert [section["number"] for section in bundled["sections"]] == [1, 2, 3, 4, 5, 6]
    assert sum(len(section["items"]) for section in bundled["sections"]) == 39


def test_item_5_8_reads_as_in_the_decree(bundled):
    item = item_of(bundled, "5.8")
    assert item["title"] == ITEM_5_8_TITLE
    assert item["deadline"] == "в течение 2024 года"
    assert item["executors"] == BOTH_EXECUTORS


def test_cells_continued_after_a_page_break_are_joined_with_one_space(bundled):
    assert item_of(bundled, "1.1")["executors"] == (
        "орган Калужской области по профилактике коррупционных и иных правонарушений "
        "(далее - уполномоченный орган), органы исполнительной власти Калужской области"
    )
    item = item_of(bundled, "5.3")
    assert item["title"] == (
        "Обеспечение соблюдения законодательства Российской Федерации о контрактной системе в сфере "
        "закупок товаров, выполнения работ, оказания услуг для государственных нужд органами "
        "исполнительной власти Калужской области"
    )
    assert item["executors"] == "органы исполнительной власти Калужской области"
    assert item["deadline"] == "постоянно в течение 2024 года"


def test_section_heading_continued_on_the_next_line(bundled):
    assert bundled["sections"][2]["title"] == (
        "Организация проведения антикоррупционной экспертизы нормативных правовых актов Калужской "
        "области и их проектов в целях устранения положений, способствующих проявлениям коррупции"
    )


def test_no_text_has_doubled_or_edge_spaces(bundled):
    texts = [section["title"] for section in bundled["sections"]] + [
        item[key] for section in bundled["sections"] for item in section["items"] for key in item
    ]
    assert all(text == " ".join(text.split()) for text in texts)


# Parsing


def test_parser_joins_continuations_and_skips_page_furniture():
    text = document(
        "1. Раздел, название которого\t\t\t",
        "",
        "продолжается на следующей странице\t\t\t",
        "1.1\tМероприятие, которое\tв течение\tорганы исполнительной",
        "",
        "Страница 2 из 9",
        "www.consultant.ru",
        "Документ предоставлен **КонсультантПлюс**",
        "N п/п\tНаименование мероприятия\tСроки реализации\tОтветственные исполнители",
        "\tпродолжается\t2030 года\tвласти Калужской области",
        "1.2\tВторое\tянварь\tуполномоченный орган",
    )

    plan = parse_plan_text(text)

    assert plan.year == 2030
    assert plan.title == "План противодействия коррупции в органе на 2030 год"
    assert plan.act_number == "12"
    assert plan.act_date.isoformat() == "2029-12-01"
    assert plan.sections[0].title == "Раздел, название которого продолжается на следующей странице"
    first = plan.sections[0].items[0]
    assert first.title == "Мероприятие, которое продолжается"
    assert first.deadline == "в течение 2030 года"
    assert first.executors == "органы исполнительной власти Калужской области"
    assert [item.number for item in plan.items] == ["1.1", "1.2"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((SECTION_1, "1.1\tМероприятие\tв течение года"), "Строка 13: ожидалось 4 столбцов"),
        ((SECTION_1, "\tпродолжение\t\t"), "Строка 13: продолжение строки"),
        ((ITEM_1_1,), "Строка 12: мероприятие 1.1 до первого раздела"),
        ((SECTION_1, "2.1\tЧужое\tв течение года\tорган"), "Строка 13: мероприятие 2.1 в разделе 1"),
        ((SECTION_1, ITEM_1_1, "1.3\tТретье\tв течение года\tорган"), "ожидалось 1.2"),
        ((SECTION_1, ITEM_1_1, "3. Третий раздел\t\t\t"), "раздел 3, а ожидался раздел 2"),
        (
            (SECTION_1, ITEM_1_1, "Подпись неизвестного"),
            "Строка 14: текст вне таблицы и не колонтитул: «Подпись неизвестного»",
        ),
        ((SECTION_1, ITEM_1_1, "посторонний текст\t\t\t"), "непонятная строка"),
        ((SECTION_1, "1.1\tМероприятие без сроков\t\tорган"), "У мероприятия 1.1 не заполнено: сроки"),
        ((SECTION_1,), "В разделе 1 нет мероприятий"),
        ((), "В таблице нет ни одного раздела"),
    ],
)
def test_parser_refuses_malformed_tables(rows, message):
    with pytest.raises(PlanParseError, match=re.escape(message)):
        parse_plan_text(document(*rows))


def test_parser_needs_the_table_header():
    text = document(SECTION_1, ITEM_1_1).replace("Сроки реализации", "Срок")
    with pytest.raises(PlanParseError, match="Не найдена шапка таблицы"):
        parse_plan_text(text)


def test_parser_needs_the_act_requisites():
    text = document(SECTION_1, ITEM_1_1).replace("от 01.12.2029 N 12", "")
    with pytest.raises(PlanParseError, match="Не найдены реквизиты акта"):
        parse_plan_text(text)


def test_parser_needs_a_plan_heading_matching_the_act():
    text = document(SECTION_1, ITEM_1_1).replace("В ОРГАНЕ НА 2030 ГОД", "В ОРГАНЕ НА 2031 ГОД")
    with pytest.raises(PlanParseError, match="нет заголовка плана"):
        parse_plan_text(text)


def test_plan_data_errors(bundled):
    missing = copy.deepcopy(bundled)
    del missing["sections"][4]["items"][7]["deadline"]
    with pytest.raises(PlanDataError, match="нет поля deadline"):
        ParsedPlan.from_dict(missing)

    misplaced = copy.deepcopy(bundled)
    misplaced["sections"][0]["items"].append(dict(item_of(bundled, "5.8")))
    with pytest.raises(PlanDataError, match=re.escape("5.8 не может стоять в разделе 1")):
        ParsedPlan.from_dict(misplaced)

    doubled = copy.deepcopy(bundled)
    doubled["sections"][4]["items"].append(dict(item_of(bundled, "5.8")))
    with pytest.raises(PlanDataError, match=re.escape("5.8 повторяется")):
        ParsedPlan.from_dict(doubled)

    bad_date = copy.deepcopy(bundled)
    bad_date["plan"]["act_date"] = "07.12.2023"
    with pytest.raises(PlanDataError, match="повреждены"):
        ParsedPlan.from_dict(bad_date)


def test_read_plan_json_refuses_a_broken_file(tmp_path):
    broken = tmp_path / "plan.json"
    broken.write_text('{"plan": ', encoding="utf-8")
    with pytest.raises(PlanDataError, match="не JSON"):
        read_plan_json(broken)


# Loading


@pytest.mark.django_db
def test_load_creates_the_plan(bundled):
    result = load_plan(bundled)

    assert result.plan_outcome == "created"
    assert (result.sections.created, result.items.created) == (6, 39)
    plan = Plan.objects.get(year=2024)
    assert plan.act_reference == "Постановление Губернатора Калужской области от 07.12.2023 N 587"
    assert plan.sections.count() == 6
    assert PlanItem.objects.of_year(2024).count() == 39
    item = PlanItem.objects.of_year(2024).get(number="5.8")
    assert (item.title, item.deadline, item.executors) == (
        ITEM_5_8_TITLE,
        "в течение 2024 года",
        BOTH_EXECUTORS,
    )
    assert item.section.number == 5
    assert item.plan == plan


@pytest.mark.django_db
def test_loading_twice_changes_nothing(bundled):
    load_plan(bundled)
    before = list(PlanItem.objects.values_list("pk", "number", "title", "deadline", "executors", "position"))

    again = load_plan(bundled)

    assert not again.changed
    assert again.plan_outcome == "unchanged"
    assert (again.sections.unchanged, again.items.unchanged) == (6, 39)
    assert (again.sections.created + again.sections.updated, again.items.created + again.items.updated) == (
        0,
        0,
    )
    assert (Plan.objects.count(), PlanSection.objects.count(), PlanItem.objects.count()) == (1, 6, 39)
    assert (
        list(PlanItem.objects.values_list("pk", "number", "title", "deadline", "executors", "position"))
        == before
    )


@pytest.mark.django_db
def test_loading_changed_data_updates_in_place_and_reports_removed_items(bundled):
    load_plan(bundled)
    item_pk = PlanItem.objects.get(number="5.8").pk
    changed = copy.deepcopy(bundled)
    changed["sections"][4]["items"][7]["deadline"] = "до 1 июля 2024 года"
    del changed["sections"][5]["items"][1]  # 6.2

    result = load_plan(changed)

    assert result.changed
    assert (result.items.updated, result.items.unchanged, result.items.created) == (1, 37, 0)
    assert PlanItem.objects.get(pk=item_pk).deadline == "до 1 июля 2024 года"
    assert [item.number for item in result.stale_items] == ["6.2"]
    assert PlanItem.objects.filter(number="6.2").exists()
    assert any("6.2" in line for line in result.summary_lines())


@pytest.mark.django_db
def test_items_sort_by_number_not_by_text_or_by_insertion(bundled):
    backwards = copy.deepcopy(bundled)
    for section in backwards["sections"]:
        section["items"].reverse()
    load_plan(backwards)

    numbers = list(PlanItem.objects.of_year(2024).values_list("number", flat=True))
    assert numbers.index("1.10") == numbers.index("1.9") + 1
    assert numbers.index("4.10") == numbers.index("4.9") + 1
    assert numbers == sorted(numbers, key=lambda number: tuple(int(part) for part in number.split(".")))


@pytest.mark.django_db
def test_training_items_are_the_education_seminar_and_development_items(loaded):
    about_training = re.compile(r"семинар|дополнительного образования|профессиональному развитию")
    expected = {item.number for item in PlanItem.objects.all() if about_training.search(item.title)}

    training = PlanItem.objects.training()

    assert {item.number for item in training} == expected
    assert training.count() == 5
    assert "5.8" in expected


@pytest.mark.django_db
def test_load_plan_command_prints_a_russian_summary(capsys):
    call_command("load_plan")
    first = capsys.readouterr().out
    call_command("load_plan")
    second = capsys.readouterr().out

    assert "Постановление Губернатора Калужской области от 07.12.2023 N 587" in first
    assert "Мероприятия: всего 39, создано 39" in first
    assert "Мероприятия: всего 39, создано 0, обновлено 0, без изменений 39" in second
    assert PlanItem.objects.count() == 39


@needs_seed
@pytest.mark.django_db
def test_load_plan_command_reads_the_seed_document(capsys):
    call_command("load_plan", from_seed=str(SEED))
    assert "создано 39" in capsys.readouterr().out
    assert PlanItem.objects.get(number="5.8").title == ITEM_5_8_TITLE


@pytest.mark.django_db
def test_load_plan_command_refuses_bad_input(tmp_path):
    seed = tmp_path / "plan.txt"
    seed.write_text(document("1. Раздел\t\t\t", "1.1\tбез столбцов"), encoding="utf-8")
    with pytest.raises(CommandError, match="Строка 13"):
        call_command("load_plan", from_seed=str(seed))
    with pytest.raises(CommandError, match="Не удалось прочитать файл"):
        call_command("load_plan", file=str(tmp_path / "missing.json"))
    assert not Plan.objects.exists()


# Wagtail admin


@pytest.fixture
def superuser():
    return make_person(role=None, is_superuser=True, is_staff=True)


@pytest.mark.django_db
def test_plan_items_are_choosable_in_the_admin(client, loaded, superuser):
    client.force_login(superuser)
    choose = reverse("wagtailsnippetchoosers_cms_planitem:choose")
    results = reverse("wagtailsnippetchoosers_cms_planitem:choose_results")

    assert client.get(choose).status_code == 200
    response = client.get(results, {"q": "5.8"})

    assert response.status_code == 200
    html = response.content.decode()
    found = {
        item.number
        for item in PlanItem.objects.all()
        if reverse("wagtailsnippetchoosers_cms_planitem:chosen", args=[item.pk]) in html
    }
    assert found == {"5.8"}


@pytest.mark.django_db
def test_chooser_search_finds_items_by_words_of_the_title(client, loaded, superuser):
    client.force_login(superuser)
    response = client.get(reverse("wagtailsnippetchoosers_cms_planitem:choose_results"), {"q": "семинаров"})
    html = response.content.decode()
    seminar = PlanItem.objects.get(number="5.2")
    other = PlanItem.objects.get(number="5.8")
    assert reverse("wagtailsnippetchoosers_cms_planitem:chosen", args=[seminar.pk]) in html
    assert reverse("wagtailsnippetchoosers_cms_planitem:chosen", args=[other.pk]) not in html


PLAN_LISTINGS = [
    "wagtailsnippets_cms_plan:list",
    "wagtailsnippets_cms_plansection:list",
    "wagtailsnippets_cms_planitem:list",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PLAN_LISTINGS)
def test_regional_manager_sees_the_plan_in_the_admin(client, loaded, url_name):
    client.force_login(make_regional_manager())
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    if url_name.endswith("planitem:list"):
        assert "Обеспечение участия лиц, впервые поступивших" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PLAN_LISTINGS)
def test_servant_is_refused_the_plan_admin(client, loaded, url_name):
    client.force_login(make_person(role=Role.SERVANT))
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert client.get(reverse(url_name), headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403


@pytest.mark.django_db
def test_municipal_manager_cannot_open_the_plan_items(client, loaded):
    client.force_login(make_municipal_manager(make_municipality()))
    response = client.get(reverse("wagtailsnippets_cms_planitem:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
