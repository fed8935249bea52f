"""The report for year Y uses Y's plan; a year without a plan is said so; activities linked to an item of an
earlier plan count under the item of the same number that continues it."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cms.models import Plan, PlanItem
from cms.plan_loading import BUNDLED_PLAN_2024, load_plan, read_plan_json
from cms.plan_years import copy_plan
from courses.factories import make_course
from courses.models import Enrollment
from events.factories import make_event
from events.models import Attendance
from people.factories import make_person, make_regional_manager
from people.models import ServiceCategory
from people.scope import Scope
from reports.period import Period
from reports.plan.choice import choose_plan
from reports.plan.figures import item_figures
from reports.tables import ReportRequest, table_spec

pytestmark = pytest.mark.django_db

URL = "reports_exports:plan_report"


@pytest.fixture
def plan_2024():
    load_plan(read_plan_json(BUNDLED_PLAN_2024))
    return Plan.objects.get(year=2024)


def aware(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def test_by_default_the_current_year_and_its_plan(plan_2024):
    this_year = timezone.localdate().year
    current = copy_plan(plan_2024, this_year).plan
    choice = choose_plan({})
    assert (choice.plan, choice.period, choice.status) == (current, Period.current_year(), 200)
    assert choose_plan({"year": "2024"}).plan == plan_2024
    assert choose_plan({"start": "2024-07-01", "end": f"{this_year}-06-30"}).plan == plan_2024
    # A plan chosen by hand without a period covers its year.
    assert choose_plan({"plan": "2024"}).period == Period.year(2024)
    assert choose_plan({"plan": "2024", "year": str(this_year)}).period == Period.year(this_year)


def test_a_year_without_a_plan_is_said_so_with_the_years_that_have_one(plan_2024):
    choice = choose_plan({"year": "2031"})
    assert (choice.plan, choice.status) == (None, 404)
    assert choice.error == (
        "Плана противодействия коррупции на 2031 год в реестре нет. "
        "Отчёт можно составить по плану на 2024 год."
    )
    assert choose_plan({"plan": "1999"}).status == 404
    assert choose_plan({"year": "abc"}).status == 400


def test_without_any_plan_the_message_says_so():
    assert choose_plan({}).error.endswith("В реестре пока нет ни одного плана.")


def test_the_page_offers_the_years_that_have_a_plan(client, plan_2024):
    manager = make_regional_manager()
    client.force_login(manager)
    this_year = timezone.localdate().year
    page = client.get(reverse(URL))
    html = page.content.decode()
    assert page.status_code == 200
    assert f"Плана противодействия коррупции на {this_year} год в реестре нет." in html
    assert '<a href="?year=2024">2024</a>' in html
    assert reverse("cms_plans:import") in html  # the regional manager may load it

    document = client.get(reverse(URL), {"format": "docx"})
    assert document.status_code == 404
    assert f"Плана противодействия коррупции на {this_year} год в реестре нет." in document.content.decode()

    copy_plan(plan_2024, this_year)
    page = client.get(reverse(URL)).content.decode()
    assert f"на {this_year} год, {this_year} год." in page
    assert client.get(reverse(URL), {"format": "xlsx"})["Content-Disposition"] == (
        f'attachment; filename="plan-{this_year}-report-{this_year}0101-{this_year}1231.xlsx"'
    )


def test_a_year_plan_counts_what_is_linked_to_the_items_it_continues(client, plan_2024):
    """A course and a seminar linked to 2024's items count in 2025 under 2025's items of the same number;
    a renumbered item does not inherit; the period still decides what falls in."""
    plan_2025 = copy_plan(plan_2024, 2025).plan
    items_2024 = {item.number: item for item in PlanItem.objects.of_year(2024)}
    servant = make_person(category=ServiceCategory.STATE_CIVIL)

    course = make_course(title="Основы противодействия коррупции")
    course.plan_items.set([items_2024["5.1"]])
    course.save()
    Enrollment.objects.create(
        user=servant, course=course, enrolled_at=aware(2025, 2, 1), completed_at=aware(2025, 3, 1)
    )
    seminar = make_event(start=aware(2025, 4, 10), title="Семинар 2025 года")
    seminar.plan_items.set([items_2024["5.2"]])
    seminar.save()
    Attendance.objects.create(event=seminar, user=servant)
    old_seminar = make_event(start=aware(2024, 4, 10), title="Семинар 2024 года")
    old_seminar.plan_items.set([items_2024["5.2"]])
    old_seminar.save()

    scope = Scope.for_user(make_regional_manager())
    items_2025 = {item.number: item for item in PlanItem.objects.of_year(2025)}
    figures_51 = item_figures(items_2025["5.1"], scope, Period.year(2025))
    assert figures_51.activities.courses == [course]
    assert (figures_51.total.values["target"], figures_51.total.values["trained"]) == (2, 1)  # + the manager
    figures_52 = item_figures(items_2025["5.2"], scope, Period.year(2025))
    assert [event.pk for event in figures_52.activities.events] == [seminar.pk]
    assert figures_52.total.values["event_participants"] == 1
    # The 2024 report still has the 2024 seminar only.
    assert [e.pk for e in item_figures(items_2024["5.2"], scope, Period.year(2024)).activities.events] == [
        old_seminar.pk
    ]

    # The same through the report's default for 2025 (no plan chosen: the plan of 2025).
    client.force_login(make_regional_manager())
    workbook = load_workbook(io.BytesIO(client.get(reverse(URL), {"year": "2025", "format": "xlsx"}).content))
    summary = list(workbook["Сводка"].iter_rows(values_only=True))
    assert (f"План: {plan_2025.title}",) == summary[1][:1]
    row_52 = next(row for row in summary if row[0] == "5.2")
    assert "Семинар 2025 года" in row_52[2]

    # Renumbering breaks the chain: if 2025's plan has no 5.1, nothing is inherited.
    items_2025["5.1"].delete()
    copy_plan(plan_2024, 2026)
    figures = item_figures(PlanItem.objects.of_year(2026).get(number="5.1"), scope, Period.year(2025))
    assert figures.activities.courses == []


def test_tables_without_a_plan_use_the_plan_of_the_periods_year(plan_2024):
    copy_plan(plan_2024, 2025)
    manager = make_regional_manager()
    table = table_spec("plan_items").build(ReportRequest(manager.pk, Period.year(2025), {}))
    assert table.title.startswith("Выполнение плана 2025, 2025 год")
    table = table_spec("plan_items").build(ReportRequest(manager.pk, Period.year(2024), {}))
    assert table.title.startswith("Выполнение плана 2024, 2024 год")
