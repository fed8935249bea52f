"""Plan-item figures against counts computed here, independently, from the raw rows of the dataset."""

import datetime
from collections import Counter

import pytest
from django.http import Http404
from django.utils import timezone

from courses.models import CoursePage, Enrollment
from events.models import Attendance, BroadcastRoom, EventPage
from people.factories import make_person, make_regional_manager
from people.models import NEWLY_HIRED_DAYS, ServiceCategory, User
from people.roles import Role
from people.scope import Scope
from quizzes.models import Quiz, Sitting, TestCampaign
from reports.period import Period
from reports.plan.figures import ITEM_NUMBERS, item_figures, section_items
from reports.tables import ReportRequest, table_spec

from .plan_dataset import YEAR, build_dataset

pytestmark = pytest.mark.django_db

PERIOD = Period.year(YEAR)
START = timezone.make_aware(datetime.datetime(YEAR, 1, 1))
END = timezone.make_aware(datetime.datetime(YEAR + 1, 1, 1))


@pytest.fixture
def data():
    return build_dataset()


# --- the independent computation: plain loops over every row ---------------------------------------


def district_of(user):
    if user.municipality is None:
        return None
    return user.municipality.parent_id or user.municipality.pk


def visible_to(manager):
    managed = manager.managed_municipality_id

    def visible(user):
        if managed is None:
            return True
        return user.municipality is not None and managed in (
            user.municipality.pk,
            user.municipality.parent_id,
        )

    return visible


def linked(obj, number):
    return number in {item.number for item in obj.plan_items.all()}


def target_of(number, user):
    if number == "5.1":
        return user.category == ServiceCategory.STATE_CIVIL
    if number == "5.7":
        return user.has_anticorruption_duties
    if number == "5.8":
        return user.hire_date is not None and PERIOD.start <= user.hire_date <= PERIOD.end
    if number == "5.9":
        return user.has_procurement_duties
    return None


def counted_sitting(sittings):
    finished = [s for s in sittings if s.state == Sitting.State.FINISHED]
    if not finished:
        return None
    if finished[0].quiz.grading_method == Quiz.GradingMethod.BEST:
        return max(finished, key=lambda s: (s.percent, s.finished_at, s.pk))
    return max(finished, key=lambda s: (s.finished_at, s.pk))


def expected_figures(number, manager):
    """``{row key: {column: value}}`` for one item as seen by ``manager``."""
    visible = visible_to(manager)
    users = {user.pk: user for user in User.objects.select_related("municipality")}
    now = timezone.now()
    courses = {c.pk for c in CoursePage.objects.live() if linked(c, number)}
    events = [
        e for e in EventPage.objects.live() if linked(e, number) and START <= e.start < END and e.end <= now
    ]
    campaigns = [
        c
        for c in TestCampaign.objects.all()
        if c.is_published and linked(c, number) and c.opens_at < END and c.closes_at > START
    ]
    completed = {
        e.user_id
        for e in Enrollment.objects.all()
        if e.is_active and e.course_id in courses and e.completed_at and START <= e.completed_at < END
    }
    completed = {pk for pk in completed if visible(users[pk])}
    event_ids = {e.pk for e in events}
    personal = [a for a in Attendance.objects.all() if a.event_id in event_ids]
    rooms = [r for r in BroadcastRoom.objects.all() if r.event_id in event_ids]
    present = {a.user_id for a in personal}
    for room in rooms:
        present |= {p.pk for p in room.participants.all()}
    present = {pk for pk in present if visible(users[pk])}

    figures = {}

    def put(column, counter):
        figures[column] = counter

    participants, attended = Counter(), Counter()
    for event in events:
        per_event = Counter()
        checked_in = {a.user_id for a in personal if a.event_id == event.pk}
        for pk in checked_in:
            if visible(users[pk]):
                per_event[district_of(users[pk])] += 1
        for room in (r for r in rooms if r.event_id == event.pk):
            if not visible(type("P", (), {"municipality": room.municipality})()):
                continue
            named = {p.pk for p in room.participants.all()}
            key = room.municipality.parent_id or room.municipality.pk
            per_event[key] += max(room.head_count, len(named)) - len(named & checked_in)
        participants.update(per_event)
        attended.update(key for key, n in per_event.items() if n)

    if target_of(number, users[manager.pk]) is not None:
        target = {pk for pk, u in users.items() if u.is_active and visible(u) and target_of(number, u)}
        trained = target & (completed | present)
        put("target", Counter(district_of(users[pk]) for pk in target))
        put("trained", Counter(district_of(users[pk]) for pk in trained))
        if number == "5.8":
            in_time = set()
            for e in Enrollment.objects.filter(user_id__in=target):
                if not (e.is_active and e.course_id in courses and e.completed_at):
                    continue
                if not START <= e.completed_at < END:
                    continue
                hire = users[e.user_id].hire_date
                deadline = e.due_date or (hire + datetime.timedelta(days=NEWLY_HIRED_DAYS) if hire else None)
                if deadline is None or timezone.localdate(e.completed_at) <= deadline:
                    in_time.add(e.user_id)
            put("in_time", Counter(district_of(users[pk]) for pk in in_time))
    if courses:
        put("completed", Counter(district_of(users[pk]) for pk in completed))
    if events:
        put("events_attended", attended)
        put("event_participants", participants)
    if campaigns:
        tested, passed = set(), set()
        for campaign in campaigns:
            by_user = {}
            for sitting in Sitting.objects.filter(campaign=campaign).select_related("quiz"):
                by_user.setdefault(sitting.user_id, []).append(sitting)
            for pk, sittings in by_user.items():
                if not visible(users[pk]):
                    continue
                counted = counted_sitting(sittings)
                if counted is not None:
                    tested.add(pk)
                    if counted.passed:
                        passed.add(pk)
        put("tested", Counter(district_of(users[pk]) for pk in tested))
        put("passed", Counter(district_of(users[pk]) for pk in passed))
    return figures


def assert_matches(figures, expected):
    assert set(expected) <= set(figures.columns)
    for column, counter in expected.items():
        got = {row.key: row.values[column] for row in figures.rows}
        want = {key: counter.get(key, 0) for key in got}
        assert got == want, column
        if column == "events_attended":  # the total: events held with anybody in the rows
            assert figures.total.values[column] == sum(
                1 for _e in figures.activities.events if any(counter.values())
            )
        else:
            assert figures.total.values[column] == sum(want.values()), column
        assert set(counter) <= set(got), column  # nobody counted outside the rows


# --- tests -----------------------------------------------------------------------------------------


def test_every_item_matches_independent_counts_for_the_regional_manager(data):
    manager = make_regional_manager()
    scope = Scope.for_user(manager)
    items = section_items(data.plan)
    assert [item.number for item in items] == list(ITEM_NUMBERS)
    for item in items:
        figures = item_figures(item, scope, PERIOD)
        expected = expected_figures(item.number, manager)
        assert_matches(figures, expected)
        districts = sorted(data.districts, key=str)
        assert [row.key for row in figures.rows] == [*(d.pk for d in districts), None]


def test_figures_are_not_empty(data):
    """The dataset exercises every kind of figure (else the comparison above proves little)."""
    scope = Scope.for_user(make_regional_manager())
    totals = {
        item.number: item_figures(item, scope, PERIOD).total.values for item in section_items(data.plan)
    }
    assert totals["5.2"]["event_participants"] > 0
    assert totals["5.2"]["events_attended"] == 2  # the next year's seminar and the draft do not count
    assert totals["5.2"]["tested"] > 0
    assert totals["5.7"]["passed"] > 0
    assert 0 < totals["5.8"]["in_time"] <= totals["5.8"]["trained"] <= totals["5.8"]["target"]
    assert totals["5.9"]["completed"] > 0
    assert "tested" not in totals["5.1"]  # its campaign was in 2023
    assert totals["5.3"] == {}


def test_a_municipal_manager_sees_only_their_municipality(data):
    manager = data.managers["north"]
    scope = Scope.for_user(manager)
    for item in section_items(data.plan):
        figures = item_figures(item, scope, PERIOD)
        assert [row.key for row in figures.rows] == [data.districts[0].pk]
        assert_matches(figures, expected_figures(item.number, manager))


def test_a_settlement_rolls_up_into_its_district(data):
    scope = Scope.for_user(make_regional_manager())
    item = next(i for i in section_items(data.plan) if i.number == "5.9")
    figures = item_figures(item, scope, PERIOD)
    assert data.settlement.pk not in {row.key for row in figures.rows}


def test_drill_down_per_organization_counts_the_same_people(data):
    scope = Scope.for_user(make_regional_manager())
    north = data.districts[0]
    for item in section_items(data.plan):
        by_municipality = item_figures(item, scope, PERIOD)
        by_organization = item_figures(item, scope, PERIOD, municipality=north)
        north_row = next(row for row in by_municipality.rows if row.key == north.pk)
        for column in ("target", "trained", "completed", "tested", "passed"):
            if column in by_municipality.columns:
                assert by_organization.total.values[column] == north_row.values[column], (item.number, column)


def test_tables_refuse_another_municipality_and_unknown_items(data):
    manager = data.managers["north"]
    south = data.districts[1]
    build = table_spec("plan_item").build
    with pytest.raises(Http404):
        build(
            ReportRequest(
                manager.pk, PERIOD, {"plan": str(YEAR), "item": "5.2", "municipality": str(south.pk)}
            )
        )
    with pytest.raises(Http404):
        build(ReportRequest(manager.pk, PERIOD, {"plan": str(YEAR), "item": "9.9"}))
    with pytest.raises(Http404):
        build(ReportRequest(manager.pk, PERIOD, {"plan": "1999", "item": "5.2"}))
    table = build(ReportRequest(manager.pk, PERIOD, {"plan": str(YEAR), "item": "5.2"}))
    assert [row["key"] for row in table.rows] == [data.districts[0].pk]


def test_servants_see_nothing(data):
    servant = make_person(role=Role.SERVANT)
    table = table_spec("plan_item").build(
        ReportRequest(servant.pk, PERIOD, {"plan": str(YEAR), "item": "5.2"})
    )
    assert table.rows == []
    assert all(value in (0, None) for key, value in table.footer.items() if key not in ("name", "key"))


def test_summary_and_activity_tables(data):
    manager = make_regional_manager()
    request = ReportRequest(manager.pk, PERIOD, {"plan": str(YEAR)})
    summary = table_spec("plan_items").build(request)
    assert [row["number"] for row in summary.rows] == list(ITEM_NUMBERS)
    row_52 = next(row for row in summary.rows if row["number"] == "5.2")
    assert row_52["events"] == 2
    assert row_52["event_participants"] == sum(
        expected_figures("5.2", manager)["event_participants"].values()
    )
    activities = table_spec("plan_activities").build(request)
    titles = {row["title"] for row in activities.rows}
    assert "Семинар seminar-a" in titles and "Семинар seminar-next-year" not in titles
    assert "Курс вне плана" not in titles
    assert "Тестирование tests-2023" not in titles
