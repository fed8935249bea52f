"""Plan item 5.2 (seminars) for a seminar with an audience (issue 18): expected against attended, of the
item's group (state civil servants), within the manager's scope, with its «Как считалось» note."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from events.factories import make_event
from events.models import Attendance, EventPage
from people.audience import Audience
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.models import ServiceCategory
from people.scope import Scope
from reports.period import Period
from reports.plan.figures import activity_rows, item_figures
from reports.plan.wording import how_counted, item_paragraphs
from reports.tests.plan_dataset import YEAR, aware, load_2024_plan

pytestmark = pytest.mark.django_db

STATE = ServiceCategory.STATE_CIVIL
PERIOD = Period.year(YEAR)


@pytest.fixture
def seminar():
    _plan, items = load_2024_plan()
    north, south = make_municipality("Северный район"), make_municipality("Южный район")
    audience = Audience.objects.create(title="Кадровые службы", hr_only=True)

    def hr(municipality, category=STATE, **fields):
        return make_person(make_organization(municipality), category=category, is_hr_service=True, **fields)

    people = {
        "north_came": hr(north),
        "north_absent": hr(north),
        "north_municipal": hr(north, ServiceCategory.MUNICIPAL),  # not of 5.2's group
        "north_leaver": hr(north, is_active=False),
        "south_came": hr(south),
    }
    event = make_event(
        start=aware(YEAR, 3, 14),
        audience=audience,
        registration_mode=EventPage.RegistrationMode.AUDIENCE,
        title="Семинар для кадровых служб",
    )
    event.plan_items.add(items["5.2"])
    event.save()
    for name in ("north_came", "north_municipal", "north_leaver", "south_came"):
        Attendance.objects.create(event=event, user=people[name], checked_in_at=event.start)
    return {"item": items["5.2"], "north": north, "south": south, "event": event, **people}


def test_item_5_2_counts_expected_and_attended_of_its_group(seminar):
    scope = Scope(make_regional_manager(), everything=True)
    figures = item_figures(seminar["item"], scope, PERIOD, now=timezone.now())
    assert figures.columns[-3:] == ["audience_expected", "audience_attended", "audience_attended_percent"]
    rows = {row.name: row.values for row in figures.rows}
    assert rows["Северный район"]["audience_expected"] == 2  # the leaver and the municipal servant: no
    assert rows["Северный район"]["audience_attended"] == 1
    assert rows["Северный район"]["audience_attended_percent"] == 50.0
    assert (rows["Южный район"]["audience_expected"], rows["Южный район"]["audience_attended"]) == (1, 1)
    total = figures.total.values
    assert (total["audience_expected"], total["audience_attended"]) == (3, 2)
    [activity] = activity_rows(figures, scope)
    assert (activity.figures["expected"], activity.figures["attended_expected"]) == (3, 2)
    paragraphs = " ".join(item_paragraphs(figures))
    assert "На семинарах с заданной аудиторией ожидалось 3 человека, пришли 2 (66,7 %)." in paragraphs
    note = how_counted(seminar["item"], PERIOD)
    assert "«ожидалось» — активные члены аудитории" in note and "уволенные не учитываются" in note


def test_a_municipal_manager_sees_their_district_only(seminar):
    scope = Scope.for_user(make_municipal_manager(seminar["south"]))
    figures = item_figures(seminar["item"], scope, PERIOD, now=timezone.now())
    assert [row.name for row in figures.rows] == ["Южный район"]
    assert (figures.total.values["audience_expected"], figures.total.values["audience_attended"]) == (1, 1)


def test_an_untargeted_seminar_adds_no_columns(seminar):
    seminar["event"].audience = None
    seminar["event"].registration_mode = EventPage.RegistrationMode.OPEN
    seminar["event"].save()
    figures = item_figures(seminar["item"], Scope(make_regional_manager(), everything=True), PERIOD)
    assert "audience_expected" not in figures.columns


def test_the_item_page_shows_the_columns_and_the_note(seminar):
    client = Client()
    client.force_login(make_regional_manager())
    page = client.get(f"/reports/plan/{YEAR}/5.2/?year={YEAR}").content.decode()
    assert "Ожидалось на семинарах с аудиторией, чел." in page
    assert "«ожидалось» — активные члены аудитории" in page
    assert datetime.date(YEAR, 3, 14).strftime("%d.%m.%Y") in page
