"""Plan-item figures against counts computed here, independently, from the raw rows of the dataset."""

import datetime
from collections import Counter

import pytest
from django.http import Http404
from django.utils import timezone

from courses.models import CoursePage, Enrollment
from events.letters.figures import letter_figures
from events.models import Attendance, BroadcastRoom, EventPage
from people.factories import make_person, make_regional_manager
from people.models import NEWLY_HIRED_DAYS, ServiceCategory, User
from people.roles import Role
from people.scope import Scope
from quizzes.models import Quiz, Sitting, TestCampaign
from reports.period import Period
from reports.plan.figures import ITEM_NUMBERS, activity_rows, item_figures, section_items
from reports.tables import ReportRequest, table_spec

from .letters_dataset import build_letters_world
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


MUNICIPAL = {ServiceCategory.MUNICIPAL, ServiceCategory.MUNICIPAL_OFFICE}
TARGET_ITEMS = {"1.3", "5.1", "5.7", "5.8", "5.9"}


def linked(obj, number, year=YEAR):
    """Linked to item ``number`` of the plan of ``year`` or of an earlier plan (every plan of the dataset
    has every number, so no chain is broken)."""
    return any(item.number == number and item.section.plan.year <= year for item in obj.plan_items.all())


def hire_window(period, year):
    """5.8's term («в течение <year> года») within the period."""
    start, end = max(datetime.date(year, 1, 1), period.start), min(datetime.date(year, 12, 31), period.end)
    return (start, end) if start <= end else None


def in_group(number, user, period=PERIOD, year=YEAR):
    """Whether ``user`` is of the item's group, as the item's wording names it; None: no group."""
    if number == "1.3":
        return user.category in MUNICIPAL
    if number in ("5.1", "5.2"):
        return user.category == ServiceCategory.STATE_CIVIL
    if number == "5.7":
        return user.has_anticorruption_duties
    if number == "5.8":
        window = hire_window(period, year)
        return (
            user.category == ServiceCategory.STATE_CIVIL
            and window is not None
            and user.hire_date is not None
            and window[0] <= user.hire_date <= window[1]
        )
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


def bounds(period):
    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


class Expected(dict):
    """``{column: Counter(row key)}``, and how many held events had anybody counted."""

    events_with_people = 0


def expected_figures(number, manager, period=PERIOD, year=YEAR):
    """``{row key: {column: value}}`` for one item of the plan of ``year`` as seen by ``manager``."""
    start, end = bounds(period)
    visible = visible_to(manager)
    users = {user.pk: user for user in User.objects.select_related("municipality")}
    has_group = in_group(number, users[manager.pk], period, year) is not None

    def counts(pk):
        return visible(users[pk]) and (not has_group or in_group(number, users[pk], period, year))

    now = timezone.now()
    courses = {c.pk for c in CoursePage.objects.live() if linked(c, number, year)}
    events = [
        e
        for e in EventPage.objects.live()
        if linked(e, number, year) and start <= e.start < end and e.end <= now
    ]
    campaigns = [
        c
        for c in TestCampaign.objects.all()
        if c.is_published and linked(c, number, year) and c.opens_at < end and c.closes_at > start
    ]
    completed = {
        e.user_id
        for e in Enrollment.objects.all()
        if e.is_active and e.course_id in courses and e.completed_at and start <= e.completed_at < end
    }
    completed = {pk for pk in completed if counts(pk)}
    event_ids = {e.pk for e in events}
    personal = [a for a in Attendance.objects.all() if a.event_id in event_ids]
    rooms = [r for r in BroadcastRoom.objects.all() if r.event_id in event_ids]
    present = {a.user_id for a in personal}
    for room in rooms:
        present |= {p.pk for p in room.participants.all()}
    present = {pk for pk in present if counts(pk)}

    figures = Expected()

    def put(column, counter):
        figures[column] = counter

    participants, attended = Counter(), Counter()
    for event in events:
        per_event = Counter()
        checked_in = {a.user_id for a in personal if a.event_id == event.pk}
        event_rooms = [r for r in rooms if r.event_id == event.pk]
        if has_group:  # people of the group known by name, once per event
            named = set(checked_in)
            for room in event_rooms:
                named |= {p.pk for p in room.participants.all()}
            for pk in named:
                if counts(pk):
                    per_event[district_of(users[pk])] += 1
        else:  # check-ins plus the rooms' head counts
            for pk in checked_in:
                if visible(users[pk]):
                    per_event[district_of(users[pk])] += 1
            for room in event_rooms:
                if not visible(type("P", (), {"municipality": room.municipality})()):
                    continue
                named = {p.pk for p in room.participants.all()}
                key = room.municipality.parent_id or room.municipality.pk
                per_event[key] += max(room.head_count, len(named)) - len(named & checked_in)
        participants.update(per_event)
        attended.update(key for key, n in per_event.items() if n)
        figures.events_with_people += any(per_event.values())

    if number in TARGET_ITEMS:
        target = {pk for pk, u in users.items() if u.is_active and counts(pk)}
        trained = target & (completed | present)
        put("target", Counter(district_of(users[pk]) for pk in target))
        put("trained", Counter(district_of(users[pk]) for pk in trained))
        if number == "5.8":
            in_time = set()
            for e in Enrollment.objects.filter(user_id__in=target):
                if not (e.is_active and e.course_id in courses and e.completed_at):
                    continue
                if not start <= e.completed_at < end:
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
                if not counts(pk):
                    continue
                counted = counted_sitting(sittings)
                if counted is not None:
                    tested.add(pk)
                    if counted.passed:
                        passed.add(pk)
        put("tested", Counter(district_of(users[pk]) for pk in tested))
        put("passed", Counter(district_of(users[pk]) for pk in passed))
    return figures


def expected_materials(data, period=PERIOD, year=YEAR):
    """Titles of the library's materials 5.5 counts: published, public, linked, dated within the period."""
    private = {data.materials["letter-private"].pk}
    return [
        m.title
        for m in sorted(data.materials.values(), key=lambda m: (m.date, m.pk))
        if m.live and m.pk not in private and linked(m, "5.5", year) and period.start <= m.date <= period.end
    ]


def assert_matches(figures, expected):
    assert set(expected) <= set(figures.columns)
    for column, counter in expected.items():
        got = {row.key: row.values[column] for row in figures.rows}
        want = {key: counter.get(key, 0) for key in got}
        assert got == want, column
        if column == "events_attended":  # the total: events held with anybody in the rows
            assert figures.total.values[column] == expected.events_with_people
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
    # the next year's seminar, the draft and the one linked to the 2025 plan only do not count
    assert totals["5.2"]["events_attended"] == 2
    assert totals["5.2"]["tested"] > 0
    assert totals["5.7"]["passed"] > 0
    assert 0 < totals["5.8"]["in_time"] < totals["5.8"]["trained"] <= totals["5.8"]["target"]
    assert totals["5.9"]["completed"] > 0
    assert 0 < totals["5.1"]["passed"] <= totals["5.1"]["tested"] < totals["5.1"]["target"]
    assert totals["1.3"]["tested"] > 0 and totals["1.3"]["event_participants"] > 0
    assert totals["5.5"] == {"materials": 2}
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
    assert "Материал letter-march" in titles and "Материал letter-old" not in titles


def test_5_1_counts_no_municipal_servant_in_any_figure(data):
    """The campaign of 5.1 was sat by state and municipal servants alike (as the demo's was): 5.1 counts the
    state civil servants only, 1.3 the municipal ones; with nobody left in the state civil service, every
    figure of 5.1 is zero while its activities stay."""
    scope = Scope.for_user(make_regional_manager())
    users = list(User.objects.all())
    sat_mixed = {s.user_id for s in Sitting.objects.filter(campaign=data.campaigns["tests-2024-mixed"])}
    categories = {u.category for u in users if u.pk in sat_mixed}
    assert ServiceCategory.STATE_CIVIL in categories and ServiceCategory.MUNICIPAL in categories
    figures = item_figures(data.items["5.1"], scope, PERIOD)
    categories = {u.pk: u.category for u in users}
    finished = {
        s.user_id
        for s in Sitting.objects.filter(
            campaign=data.campaigns["tests-2024-mixed"], state=Sitting.State.FINISHED
        )
    }
    state_finished = {pk for pk in finished if categories[pk] == ServiceCategory.STATE_CIVIL}
    assert figures.total.values["tested"] == len(state_finished) < len(finished)

    User.objects.filter(category=ServiceCategory.STATE_CIVIL).update(category=ServiceCategory.MUNICIPAL)
    after = item_figures(data.items["5.1"], scope, PERIOD)
    assert after.activities.courses and after.activities.campaigns
    person_columns = [c for c in after.columns if c != "trained_percent"]
    assert set(person_columns) >= {"target", "trained", "completed", "tested", "passed"}
    assert all(after.total.values[column] == 0 for column in person_columns), after.total.values
    # and 1.3 now counts them
    assert (
        item_figures(data.items["1.3"], scope, PERIOD).total.values["target"]
        == User.objects.filter(is_active=True, category__in=list(MUNICIPAL)).count()
    )


def test_5_5_counts_the_published_materials_linked_to_it(data):
    scope = Scope.for_user(make_regional_manager())
    figures = item_figures(data.items["5.5"], scope, PERIOD)
    assert [m.title for m in figures.activities.materials] == expected_materials(data)
    assert expected_materials(data) == ["Материал letter-march", "Материал review-november"]
    assert figures.columns == []  # materials are for everybody: no per-municipality figures
    # A municipal manager's report lists the same materials.
    north = item_figures(data.items["5.5"], Scope.for_user(data.managers["north"]), PERIOD)
    assert north.activities.materials == figures.activities.materials
    # Only 5.5 counts materials: 5.7 has one linked, but it is not an information item.
    assert item_figures(data.items["5.7"], scope, PERIOD).activities.materials == []
    # A shorter period: the November review only.
    autumn = Period(datetime.date(YEAR, 9, 1), datetime.date(YEAR, 12, 31))
    assert (
        [m.title for m in item_figures(data.items["5.5"], scope, autumn).activities.materials]
        == (expected_materials(data, autumn))
        == ["Материал review-november"]
    )


def test_5_8_counts_state_civil_servants_hired_within_the_items_term(data):
    scope = Scope.for_user(make_regional_manager())
    hired = data.newly_hired

    def target(period, plan_items=data.items):
        return item_figures(plan_items["5.8"], scope, period).total.values

    def by_hand(period, year=YEAR):
        return {
            u.pk
            for u in User.objects.filter(is_active=True)
            if u.category == ServiceCategory.STATE_CIVIL
            and u.hire_date
            and max(datetime.date(year, 1, 1), period.start)
            <= u.hire_date
            <= min(datetime.date(year, 12, 31), period.end)
        }

    whole = by_hand(PERIOD)
    assert {hired["state-2024-03"].pk, hired["state-2024-12"].pk, hired["state-2024-02-late"].pk} <= whole
    assert not {hired["state-2023-12"].pk, hired["state-2025-01"].pk, hired["municipal-2024-05"].pk} & whole
    values = target(PERIOD)
    assert values["target"] == len(whole)
    in_time = set()
    for e in Enrollment.objects.filter(
        course=data.courses["5.8"], is_active=True, completed_at__isnull=False
    ):
        hire_date = User.objects.get(pk=e.user_id).hire_date
        if e.user_id in whole and START <= e.completed_at < END:
            deadline = e.due_date or hire_date + datetime.timedelta(days=NEWLY_HIRED_DAYS)
            if timezone.localdate(e.completed_at) <= deadline:
                in_time.add(e.user_id)
    assert hired["state-2024-03"].pk in in_time and hired["state-2024-02-late"].pk not in in_time
    assert values["in_time"] == len(in_time)
    # The first half of the year: hired from January to June.
    first_half = Period(datetime.date(YEAR, 1, 1), datetime.date(YEAR, 6, 30))
    assert target(first_half)["target"] == len(by_hand(first_half))
    assert hired["state-2024-12"].pk not in by_hand(first_half)
    # A period across two years with the 2024 plan: its term («в течение 2024 года») ends the window.
    across = Period(datetime.date(YEAR, 7, 1), datetime.date(YEAR + 1, 6, 30))
    assert target(across)["target"] == len(by_hand(across)) > 0
    assert hired["state-2025-01"].pk not in by_hand(across)
    # The 2025 plan's 5.8 («в течение 2025 года»): the January 2025 hire counts.
    next_year = Period.year(YEAR + 1)
    assert hired["state-2025-01"].pk in by_hand(next_year, YEAR + 1)
    assert target(next_year, data.next_items)["target"] == len(by_hand(next_year, YEAR + 1))


def test_2025_report_counts_what_is_linked_to_the_2024_items_it_continues(data):
    """2025's items continue 2024's: the 2025 report matches the independent counts with links to either
    plan; the 2024 report ignores what is linked to the 2025 plan only."""
    manager = make_regional_manager()
    scope = Scope.for_user(manager)
    period = Period.year(YEAR + 1)
    now = timezone.make_aware(datetime.datetime(YEAR + 2, 1, 1))  # every 2025 event has ended
    for item in section_items(data.next_plan):
        figures = item_figures(item, scope, period)
        assert_matches(figures, expected_figures(item.number, manager, period, YEAR + 1))
    next_items = data.next_items
    assert [e.title for e in item_figures(next_items["5.2"], scope, period, now=now).activities.events] == [
        "Семинар seminar-next-year"
    ]
    campaigns_51 = item_figures(next_items["5.1"], scope, period).activities.campaigns
    assert [c.title for c in campaigns_51] == ["Тестирование tests-2025"]
    materials = item_figures(next_items["5.5"], scope, period).activities.materials
    assert (
        [m.title for m in materials]
        == expected_materials(data, period, YEAR + 1)
        == ["Материал letter-next-year"]
    )
    # Links forward do not count: 2024's 5.1 and 5.2 know nothing of what is linked to 2025's items.
    campaigns_2024 = item_figures(data.items["5.1"], scope, PERIOD).activities.campaigns
    assert "Тестирование tests-2025" not in [c.title for c in campaigns_2024]
    events_2024 = item_figures(data.items["5.2"], scope, PERIOD).activities.events
    assert "Семинар seminar-linked-forward" not in [e.title for e in events_2024]


def test_5_7_and_5_9_count_people_with_the_duties_state_and_municipal(data):
    """5.7 and 5.9 name state civil servants and workers with the duties: both count, nobody without them."""
    scope = Scope.for_user(make_regional_manager())
    people = data.with_duties
    values_59 = item_figures(data.items["5.9"], scope, PERIOD).total.values
    procurement = {u.pk for u in User.objects.filter(is_active=True) if u.has_procurement_duties}
    assert {people["procurement-state"].pk, people["procurement-municipal"].pk} <= procurement
    assert people["procurement-none"].pk not in procurement
    assert values_59["target"] == len(procurement)
    completed_59 = {
        e.user_id
        for e in Enrollment.objects.filter(course=data.courses["5.9"], is_active=True)
        if e.completed_at and START <= e.completed_at < END and e.user_id in procurement
    }
    assert values_59["completed"] == len(completed_59) >= 2
    values_57 = item_figures(data.items["5.7"], scope, PERIOD).total.values
    assert values_57["target"] == User.objects.filter(is_active=True, has_anticorruption_duties=True).count()


def test_each_activity_of_an_item_is_counted_within_the_items_group(data):
    scope = Scope.for_user(make_regional_manager())
    state = {u.pk for u in User.objects.all() if u.category == ServiceCategory.STATE_CIVIL}
    rows_51 = {
        row.title: row.figures for row in activity_rows(item_figures(data.items["5.1"], scope, PERIOD), scope)
    }

    by_user = {}
    for sitting in Sitting.objects.filter(campaign=data.campaigns["tests-2024-mixed"]).select_related("quiz"):
        by_user.setdefault(sitting.user_id, []).append(sitting)
    counted = {pk: counted_sitting(sittings) for pk, sittings in by_user.items() if pk in state}
    finished = {pk for pk, sitting in counted.items() if sitting is not None}
    passed = {pk for pk, sitting in counted.items() if sitting is not None and sitting.passed}
    row = rows_51["Тестирование tests-2024-mixed"]
    assert (row["finished"], row["passed"]) == (len(finished), len(passed))
    assert row["finished"] < len({pk for pk, s in by_user.items() if counted_sitting(s) is not None})

    course = data.courses["5.1+5.7"]
    completed = [
        e
        for e in Enrollment.objects.filter(course=course, is_active=True)
        if e.completed_at and START <= e.completed_at < END and e.user_id in state
    ]
    assert rows_51[course.title]["completed"] == len(completed)

    rows_52 = {
        row.title: row.figures for row in activity_rows(item_figures(data.items["5.2"], scope, PERIOD), scope)
    }
    seminar = data.events["seminar-a"]
    named = {a.user_id for a in Attendance.objects.filter(event=seminar)}
    for room in BroadcastRoom.objects.filter(event=seminar):
        named |= {p.pk for p in room.participants.all()}
    assert rows_52["Семинар seminar-a"]["participants"] == len(named & state)


# --- 1.3: letters to municipalities (events.letters; the expected numbers in letters_dataset) ---------

LETTER_COLUMNS = ["letter_recipients", "letters_acknowledged", "letters_acknowledged_percent"]


@pytest.fixture
def letters():
    return build_letters_world()


def letter_values(figures):
    """``{row name: (recipients, acknowledged, percent)}`` and the same for «Итого»."""
    return {
        row.name: tuple(row.values[column] for column in LETTER_COLUMNS)
        for row in [*figures.rows, figures.total]
    }


def test_1_3_counts_the_letters_their_recipients_and_acknowledgements(letters):
    scope = Scope.for_user(letters.managers["regional"])
    figures = item_figures(letters.items["1.3"], scope, PERIOD)
    assert figures.activities.letters == 2  # «march» and «november»; not 2023's nor 2025's
    assert figures.activities  # letters alone make the item active
    assert all(column in figures.columns for column in LETTER_COLUMNS)
    assert letter_values(figures) == {
        "Город Приречный": (2, 0, 0.0),  # «city-state» acknowledged in 2025
        "Северный район": (6, 3, 50.0),  # the settlement rolled up into its district
        "Южный район": (0, 0, None),
        "Областные органы": (0, 0, None),
        "Итого": (8, 3, 37.5),
    }
    [row] = [row for row in activity_rows(figures, scope) if row.kind == "письма муниципалитетам"]
    assert row.figures == {"letters": 2, "recipients": 8, "acknowledged": 3}
    assert row.when == "01.01.2024 — 31.12.2024"
    # The same rows as the managers' list of letters counts.
    listed = letter_figures(scope, PERIOD.start, PERIOD.end)
    assert (listed.letters, listed.recipients, listed.acknowledged) == (2, 8, 3)

    other = item_figures(letters.items["5.7"], scope, PERIOD)  # coordinators' item: not its activity
    assert other.activities.letters == 0 and not set(LETTER_COLUMNS) & set(other.columns)


def test_1_3_letters_per_organization_of_a_municipality(letters):
    scope = Scope.for_user(letters.managers["regional"])
    figures = item_figures(letters.items["1.3"], scope, PERIOD, municipality=letters.north)
    values = letter_values(figures)
    assert values["Администрация Северного района"] == (4, 2, 50.0)
    assert values["Администрация поселения Берёзовка"] == (2, 1, 50.0)
    assert values["Итого"] == (6, 3, 50.0)
    assert "Администрация города Приречный" not in values


def test_1_3_letters_a_municipal_manager_sees_only_their_municipalitys_recipients(letters):
    city = item_figures(letters.items["1.3"], Scope.for_user(letters.managers["city"]), PERIOD)
    assert city.activities.letters == 1  # «november» did not reach the city
    assert letter_values(city) == {"Город Приречный": (2, 0, 0.0), "Итого": (2, 0, 0.0)}
    scope = Scope.for_user(letters.managers["north"])
    north = item_figures(letters.items["1.3"], scope, PERIOD)
    assert north.activities.letters == 2
    assert letter_values(north) == {"Северный район": (6, 3, 50.0), "Итого": (6, 3, 50.0)}
    [row] = [row for row in activity_rows(north, scope) if row.kind == "письма муниципалитетам"]
    assert row.figures == {"letters": 2, "recipients": 6, "acknowledged": 3}


def test_1_3_without_letters_shows_no_letter_figures(letters):
    def no_letters(figures, scope):
        assert figures.activities.letters == 0
        assert not set(LETTER_COLUMNS) & set(figures.columns)
        assert not any(set(LETTER_COLUMNS) & set(row.values) for row in [*figures.rows, figures.total])
        assert all(row.kind != "письма муниципалитетам" for row in activity_rows(figures, scope))

    # A municipality no letter reached (no coordinators there).
    south = Scope.for_user(letters.managers["south"])
    no_letters(item_figures(letters.items["1.3"], south, PERIOD), south)
    # A period without letters.
    region = Scope.for_user(letters.managers["regional"])
    summer = Period(datetime.date(YEAR, 6, 1), datetime.date(YEAR, 8, 31))
    figures = item_figures(letters.items["1.3"], region, summer)
    no_letters(figures, region)
    assert not figures.activities  # and nothing else was done for 1.3 then


def test_1_3_no_letter_sent_at_all(letters_unsent):
    scope = Scope.for_user(letters_unsent.managers["regional"])
    figures = item_figures(letters_unsent.items["1.3"], scope, PERIOD)
    assert figures.activities.letters == 0 and not figures.activities
    assert not set(LETTER_COLUMNS) & set(figures.columns)


@pytest.fixture
def letters_unsent():
    return build_letters_world(send=False)
