"""Dashboard figures against counts computed here, in Python, from the raw rows of a generated region.

Nothing here uses the dashboard's queries: the expectations walk ``.values()`` of the raw tables and
apply the rules (audiences, the counted sitting, the attendance formula) by hand.
"""

import datetime
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from courses.models import Enrollment
from events.models import Attendance, BroadcastRoom, EventPage
from people.factories import make_municipal_manager, make_regional_manager
from people.models import Municipality, User
from quizzes.models import Quiz, Sitting, TestCampaign
from reports.tables import ReportRequest, table_spec
from reports.tests.dataset import build_dataset

pytestmark = pytest.mark.django_db

FIGURES = ["people", "enrolled", "completed", "trained", "overdue", "expected", "started", "finished"]
FIGURES += ["passed", "average", "personal", "rooms", "attended"]


@pytest.fixture(scope="module")
def seeds():
    return [1, 7]


class Raw:
    """Expectations from raw rows. ``group(person)`` maps a person row to the key being checked."""

    def __init__(self, data, group, people_filter):
        self.data, self.group, self.keep = data, group, people_filter
        self.start = datetime.datetime.combine(data.period.start, datetime.time.min)
        self.end = datetime.datetime.combine(data.period.end + datetime.timedelta(days=1), datetime.time.min)
        self.users = {u["id"]: u for u in User.objects.values()}
        self.munis = {m["id"]: m for m in Municipality.objects.values()}
        self.expected = defaultdict(Counter)

    def local(self, moment):
        from django.utils import timezone

        return timezone.localtime(moment).replace(tzinfo=None)

    def in_period(self, moment):
        return moment is not None and self.start <= self.local(moment) < self.end

    def key_of(self, user_id):
        user = self.users[user_id]
        return self.group(user, self.munis) if self.keep(user, self.munis) else "skip"

    def compute(self):
        figures = defaultdict(Counter)
        sums = defaultdict(lambda: [Decimal(0), 0])
        for user in self.users.values():
            if user["is_active"] and self.keep(user, self.munis):
                figures[self.group(user, self.munis)]["people"] += 1
        # courses
        trained = defaultdict(set)
        for e in Enrollment.objects.filter(is_active=True).values():
            if not self.users[e["user_id"]]["is_active"]:
                continue
            key = self.key_of(e["user_id"])
            if key == "skip":
                continue
            if self.in_period(e["enrolled_at"]):
                figures[key]["enrolled"] += 1
            if self.in_period(e["completed_at"]):
                figures[key]["completed"] += 1
                trained[key].add(e["user_id"])
            due = e["due_date"]
            if (
                e["completed_at"] is None
                and due is not None
                and due < self.data.today
                and self.data.period.start <= due <= self.data.period.end
            ):
                figures[key]["overdue"] += 1
        for key, ids in trained.items():
            figures[key]["trained"] = len(ids)
        # campaigns overlapping the period
        campaigns = [
            c
            for c in TestCampaign.objects.select_related("audience", "quiz")
            if self.local(c.opens_at) < self.end and self.local(c.closes_at) > self.start and c.is_published
        ]
        for campaign in campaigns:
            audience = campaign.audience
            area = {m.pk for m in audience.municipalities.all()}
            roster = {u.pk for u in audience.people.all()}
            for user in self.users.values():
                if not user["is_active"]:
                    continue
                municipality = self.munis.get(user["municipality_id"])
                in_area = municipality is not None and (
                    municipality["id"] in area or municipality["parent_id"] in area
                )
                rule = (not area or in_area) and (
                    not audience.categories or user["category"] in audience.categories
                )
                has_rule = bool(area or audience.categories)
                if (has_rule and rule) or user["id"] in roster:
                    key = self.key_of(user["id"])
                    if key != "skip":
                        figures[key]["expected"] += 1
            sittings = defaultdict(list)
            for s in Sitting.objects.filter(campaign=campaign).values():
                sittings[s["user_id"]].append(s)
            for user_id, rows in sittings.items():
                key = self.key_of(user_id)
                if key == "skip":
                    continue
                figures[key]["started"] += 1
                finished = [s for s in rows if s["state"] == Sitting.State.FINISHED]
                if not finished:
                    continue
                figures[key]["finished"] += 1
                if campaign.quiz.grading_method == Quiz.GradingMethod.BEST:
                    counted = max(finished, key=lambda s: (s["percent"], s["finished_at"], s["id"]))
                else:
                    counted = max(finished, key=lambda s: (s["finished_at"], s["id"]))
                figures[key]["passed"] += bool(counted["passed"])
                sums[key][0] += counted["percent"]
                sums[key][1] += 1
        for key, (total, count) in sums.items():
            figures[key]["average"] = (total / count).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return figures, campaigns

    def attendance(self, figures, by_room_municipality):
        events = {e.pk for e in EventPage.objects.all() if self.in_period(e.start)}
        checked = {(a["event_id"], a["user_id"]) for a in Attendance.objects.values()}
        for event_id, user_id in checked:
            if event_id in events:
                key = self.key_of(user_id)
                if key != "skip":
                    figures[key]["personal"] += 1
        for room in BroadcastRoom.objects.filter(event_id__in=events).prefetch_related("participants"):
            named = [p.pk for p in room.participants.all()]
            if by_room_municipality:
                key = by_room_municipality(room.municipality_id, self.munis)
                if key == "skip":
                    continue
                overlap = sum((room.event_id, pk) in checked for pk in named)
                figures[key]["rooms"] += max(room.head_count, len(named)) - overlap
            else:
                for pk in named:
                    key = self.key_of(pk)
                    if key != "skip" and (room.event_id, pk) not in checked:
                        figures[key]["rooms"] += 1
        for figure in figures.values():
            figure["attended"] = figure["personal"] + figure["rooms"]


def district_of(user, munis):
    municipality = munis.get(user["municipality_id"])
    if municipality is None:
        return None
    return municipality["parent_id"] or municipality["id"]


def room_district(municipality_id, munis):
    return munis[municipality_id]["parent_id"] or municipality_id


def build(user, key, **params):
    request = ReportRequest(user.pk, build.period, {k: str(v) for k, v in params.items()})
    return table_spec(key).build(request)


def check(table, expected):
    got = {row["id"]: row for row in table.rows}
    wanted = {key: figure for key, figure in expected.items() if any(figure.values())}
    assert set(got) >= set(wanted)
    for key in set(got) - set(wanted):  # shown with zeros: nothing happened there
        assert not any(got[key][c.key] for c in table.columns if c.numeric), key
    for key, figure in wanted.items():
        for name in FIGURES:
            if name in {c.key for c in table.columns} or name == "average":
                assert got[key][name] == figure.get(name, None if name == "average" else 0), (key, name)


@pytest.mark.parametrize("seed", [1, 7, 23])
def test_municipality_table_matches_raw_rows(seed):
    data = build_dataset(seed)
    build.period = data.period
    manager = make_regional_manager()
    raw = Raw(data, district_of, lambda user, munis: True)
    figures, campaigns = raw.compute()
    raw.attendance(figures, room_district)
    assert len(campaigns) == 2
    table = build(manager, "municipalities")
    check(table, figures)
    assert table.footer["people"] == sum(f["people"] for f in figures.values())
    assert table.footer["started"] == sum(f["started"] for f in figures.values())


@pytest.mark.parametrize("seed", [3, 11])
def test_municipal_manager_table_covers_own_district_with_settlement(seed):
    data = build_dataset(seed)
    build.period = data.period
    district = data.municipalities["district"]
    manager = make_municipal_manager(district)

    def mine(user, munis):
        return district_of(user, munis) == district.pk

    raw = Raw(data, district_of, mine)
    figures, _campaigns = raw.compute()
    raw.attendance(
        figures, lambda pk, munis: district.pk if room_district(pk, munis) == district.pk else "skip"
    )
    table = build(manager, "municipalities")
    assert [row["id"] for row in table.rows] == [district.pk]
    check(table, figures)


@pytest.mark.parametrize("seed", [5, 9])
def test_organization_table_matches_raw_rows(seed):
    data = build_dataset(seed)
    build.period = data.period
    district = data.municipalities["district"]
    raw = Raw(
        data, lambda user, munis: user["organization_id"], lambda u, m: district_of(u, m) == district.pk
    )
    figures, _campaigns = raw.compute()
    raw.attendance(figures, None)
    table = build(make_regional_manager(), "organizations", municipality=district.pk)
    check(table, figures)
    assert {row["id"] for row in table.rows} >= {
        data.organizations["district_admin"].pk,
        data.organizations["settlement_admin"].pk,
    }


@pytest.mark.parametrize("seed", [2, 13])
def test_people_table_matches_raw_rows(seed):
    data = build_dataset(seed)
    build.period = data.period
    kaluga = data.municipalities["kaluga"]
    admin = data.organizations["kaluga_admin"]
    raw = Raw(data, lambda user, munis: user["id"], lambda u, m: u["organization_id"] == admin.pk)
    figures, _campaigns = raw.compute()
    raw.attendance(figures, None)
    table = build(make_municipal_manager(kaluga), "people", municipality=kaluga.pk, organization=admin.pk)
    check(table, figures)
    active = {p.pk for p in data.people if p.organization_id == admin.pk and p.is_active}
    assert active <= {row["id"] for row in table.rows}


def test_regional_bodies_form_their_own_row_and_drill_down():
    data = build_dataset(4)
    build.period = data.period
    manager = make_regional_manager()
    rows = {row["id"]: row for row in build(manager, "municipalities").rows}
    regional = list(User.objects.filter(is_active=True, municipality__isnull=True))
    assert rows[None]["people"] == len(regional)
    organizations = build(manager, "organizations", municipality="regional")
    assert {row["id"] for row in organizations.rows} <= {data.organizations["regional"].pk, None}
    assert sum(row["people"] for row in organizations.rows) == len(regional)


def test_months_match_raw_rows():
    from django.utils import timezone

    from people.scope import Scope
    from reports.dashboard import timeline
    from reports.dashboard.slices import Grouping, Slice

    data = build_dataset(8)
    manager = make_municipal_manager(data.municipalities["kaluga"])
    kaluga = data.municipalities["kaluga"].pk
    in_kaluga = set(User.objects.filter(municipality__in=[kaluga]).values_list("pk", flat=True))
    start = datetime.datetime.combine(data.period.start, datetime.time.min)
    end = datetime.datetime.combine(data.period.end + datetime.timedelta(days=1), datetime.time.min)

    def month_of(moment):
        local = timezone.localtime(moment).replace(tzinfo=None)
        return local.date().replace(day=1) if start <= local < end else None

    expected = defaultdict(Counter)
    for s in Sitting.objects.filter(state=Sitting.State.FINISHED, campaign__isnull=False).values():
        if s["user_id"] in in_kaluga and month_of(s["finished_at"]):
            expected[month_of(s["finished_at"])]["tests"] += 1
    for e in Enrollment.objects.filter(is_active=True, completed_at__isnull=False).values():
        if e["user_id"] in in_kaluga and month_of(e["completed_at"]):
            expected[month_of(e["completed_at"])]["courses"] += 1
    for a in Attendance.objects.values():
        if a["user_id"] in in_kaluga and month_of(a["checked_in_at"]):
            expected[month_of(a["checked_in_at"])]["seminars"] += 1

    months = timeline.monthly(Slice(Scope.for_user(manager), Grouping.DISTRICT), data.period)
    assert months[0].start == data.period.start.replace(day=1)
    assert len(months) in (8, 9)
    for month in months:
        for key in ("tests", "courses", "seminars"):
            assert month.values[key] == expected[month.start][key], (month.start, key)
    assert sum(m.values["tests"] for m in months) > 0


def test_places_where_nothing_happened_show_with_zeros():
    from people.factories import make_municipality, make_organization

    data = build_dataset(6, people_per_organization=(1, 2))
    empty = make_municipality("Город Пустой", kind=Municipality.Kind.URBAN_OKRUG)
    quiet = make_organization(data.municipalities["obninsk"], "Тихое учреждение")
    make_municipality("Поселение в Пустом", kind=Municipality.Kind.RURAL_SETTLEMENT, parent=empty)
    build.period = data.period
    manager = make_regional_manager()
    rows = {row["id"]: row for row in build(manager, "municipalities").rows}
    assert rows[empty.pk]["people"] == 0 and rows[empty.pk]["participation"] is None
    assert len(rows) == 5  # four top-level municipalities and the regional bodies; no settlement rows
    organizations = build(manager, "organizations", municipality=data.municipalities["obninsk"].pk)
    assert quiet.pk in {row["id"] for row in organizations.rows}
    own = build(make_municipal_manager(data.municipalities["obninsk"]), "municipalities")
    assert [row["id"] for row in own.rows] == [data.municipalities["obninsk"].pk]
