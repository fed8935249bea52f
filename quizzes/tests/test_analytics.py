"""Campaign figures against counts computed here, independently, from the raw rows of a generated region."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people.audience import Audience
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.models import Municipality, Organization, User
from people.scope import Scope
from quizzes import analytics
from quizzes.factories import correct_answer, make_category, make_quiz, make_single_choice
from quizzes.models import Sitting, TestCampaign
from quizzes.services import finish_sitting, save_answer, start_campaign_sitting

pytestmark = pytest.mark.django_db

OPEN = "open"  # an attempt started and left in progress
SKIP = "skip"  # an attempt finished without a single answer


def wrong_answer(snapshot):
    wrong = [option["id"] for option in snapshot["options"] if option["id"] not in snapshot["key"]["correct"]]
    return {"choice": wrong[0]}


def sit(person, campaign, plan, now):
    """Take ``campaign`` as ``person``: ``plan`` is the number of questions to get right (the first
    ones; the others wrong), OPEN to leave the sitting in progress, SKIP to finish without answers."""
    sitting = start_campaign_sitting(person, campaign, now=now)
    if plan == OPEN:
        return sitting
    if plan != SKIP:
        for index, snapshot in enumerate(sitting.questions()):
            answer = correct_answer(snapshot) if index < plan else wrong_answer(snapshot)
            save_answer(sitting, snapshot["id"], answer, seq=1, now=now)
    return finish_sitting(sitting, now=now)


@dataclass
class Region:
    campaign: TestCampaign
    municipalities: dict
    organizations: dict
    people: list = field(default_factory=list)
    outsiders: list = field(default_factory=list)


# Per organization: one entry per person, each a list of attempts in order (empty: never started).
PLANS = {
    "kaluga_admin": [[], [], [OPEN], [3], [1], [1, 4], [SKIP]],
    "kaluga_school": [[], [2], [4, 0]],
    "obninsk_admin": [[], [4], [0], [OPEN], [1, 2]],
    "district_admin": [[3], []],
    "settlement_admin": [[0], [4], [], [2, OPEN]],
}


def build_region(now=None, quiz_fields=None):
    """Kaluga and Obninsk (urban okrugs), a district with a settlement, five organizations, a campaign
    for all of them with four questions in two topics, and people in every state."""
    now = now or timezone.now()
    kaluga = make_municipality("Город Калуга", kind=Municipality.Kind.URBAN_OKRUG)
    obninsk = make_municipality("Город Обнинск", kind=Municipality.Kind.URBAN_OKRUG)
    district = make_municipality("Бабынинский район")
    settlement = make_municipality(
        "Сельское поселение «Село Утешево»", kind=Municipality.Kind.RURAL_SETTLEMENT, parent=district
    )
    outside = make_municipality("Людиновский район")
    organizations = {
        "kaluga_admin": make_organization(kaluga, "Городская Управа города Калуги"),
        "kaluga_school": make_organization(
            kaluga, "МБОУ «Средняя школа № 1»", kind=Organization.Kind.MUNICIPAL_INSTITUTION
        ),
        "obninsk_admin": make_organization(obninsk, "Администрация города Обнинска"),
        "district_admin": make_organization(district, "Администрация Бабынинского района"),
        "settlement_admin": make_organization(settlement, "Администрация СП «Село Утешево»"),
    }
    law = make_category("Конфликт интересов")
    gifts = make_category("Подарки")
    questions = [make_single_choice(law), make_single_choice(law), make_single_choice(gifts)]
    questions.append(make_single_choice(gifts))
    fields = {"pass_mark": 50, "attempts_allowed": 2, **(quiz_fields or {})}
    quiz = make_quiz(questions, **fields)
    audience = Audience.objects.create(title="Калуга, Обнинск, Бабынинский район")
    audience.municipalities.add(kaluga, obninsk, district)
    campaign = TestCampaign.objects.create(
        title="Тестирование по антикоррупционному законодательству",
        quiz=quiz,
        audience=audience,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    region = Region(
        campaign,
        {
            "kaluga": kaluga,
            "obninsk": obninsk,
            "district": district,
            "settlement": settlement,
            "outside": outside,
        },
        organizations,
    )
    for key, plans in PLANS.items():
        for attempts in plans:
            person = make_person(organizations[key])
            region.people.append(person)
            for step, plan in enumerate(attempts):
                sit(person, campaign, plan, now + datetime.timedelta(minutes=step))
    region.outsiders.append(make_person(make_organization(outside)))  # not in the audience
    # Another campaign on another quiz must not leak into this one's figures.
    other = TestCampaign.objects.create(
        title="Другое тестирование",
        quiz=make_quiz([make_single_choice(law)]),
        audience=audience,
        opens_at=campaign.opens_at,
        closes_at=campaign.closes_at,
    )
    sit(region.people[0], other, 1, now)
    return region


# ---- the independent count: plain Python over raw rows --------------------------------------------


def raw_figures(campaign, key_of, people=None):
    """``{key: dict(expected, started, finished, passed, percents)}`` from raw User and Sitting rows."""
    audience_municipalities = set(campaign.audience.municipalities.values_list("pk", flat=True))
    people = list(people if people is not None else User.objects.select_related("municipality"))
    sittings = defaultdict(list)
    for sitting in Sitting.objects.filter(campaign=campaign):
        sittings[sitting.user_id].append(sitting)
    figures = defaultdict(lambda: {"expected": 0, "started": 0, "finished": 0, "passed": 0, "percents": []})
    for person in people:
        municipality = person.municipality
        in_audience = municipality is not None and (
            municipality.pk in audience_municipalities or municipality.parent_id in audience_municipalities
        )
        own = sittings.get(person.pk, [])
        if not in_audience and not own:
            continue
        cell = figures[key_of(person)]
        cell["expected"] += in_audience and person.is_active
        cell["started"] += bool(own)
        finished = [s for s in own if s.state == Sitting.State.FINISHED]
        if finished:
            best = max(finished, key=lambda s: (s.percent, s.finished_at, s.pk))
            cell["finished"] += 1
            cell["passed"] += best.passed
            cell["percents"].append(best.percent)
    return figures


def district_of(person):
    municipality = person.municipality
    return None if municipality is None else (municipality.parent_id or municipality.pk)


def mean(values):
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def as_dict(rows):
    return {
        row.key: {
            "expected": row.expected,
            "started": row.started,
            "finished": row.finished,
            "passed": row.passed,
            "average": row.average,
        }
        for row in rows
    }


def expected_dict(figures):
    return {
        key: {
            "expected": cell["expected"],
            "started": cell["started"],
            "finished": cell["finished"],
            "passed": cell["passed"],
            "average": mean(cell["percents"]),
        }
        for key, cell in figures.items()
    }


# ---- participation ---------------------------------------------------------------------------------


def test_per_municipality_matches_the_raw_rows_and_rolls_settlements_up():
    region = build_region()
    scope = Scope.for_user(make_regional_manager())
    rows = analytics.by_municipality(region.campaign, scope)
    expected = expected_dict(raw_figures(region.campaign, district_of))
    assert as_dict(rows) == expected
    assert region.municipalities["settlement"].pk not in as_dict(rows)
    district = as_dict(rows)[region.municipalities["district"].pk]
    assert district["expected"] == len(PLANS["district_admin"]) + len(PLANS["settlement_admin"])


def test_a_person_counts_once_with_two_attempts_and_the_best_one_counts():
    region = build_region()
    scope = Scope.for_user(make_regional_manager())
    rows = as_dict(analytics.by_organization(region.campaign, scope))
    school = rows[region.organizations["kaluga_school"].pk]
    # Three people, two of them sat (one twice: 100 % then 0 %), both count as finished and passed.
    assert Sitting.objects.filter(user__organization=region.organizations["kaluga_school"]).count() == 3
    assert (school["expected"], school["started"], school["finished"], school["passed"]) == (3, 2, 2, 2)


def test_last_attempt_counts_when_the_quiz_says_so():
    from quizzes.models import Quiz

    region = build_region(quiz_fields={"grading_method": Quiz.GradingMethod.LAST})
    scope = Scope.for_user(make_regional_manager())
    school = as_dict(analytics.by_organization(region.campaign, scope))[
        region.organizations["kaluga_school"].pk
    ]
    assert school["passed"] == 1  # the one who got 100 % then 0 % failed with the last attempt
    assert school["average"] == Decimal("25.0")  # (50 + 0) / 2


def test_per_organization_matches_the_raw_rows_and_drills_down():
    region = build_region()
    scope = Scope.for_user(make_regional_manager())
    rows = analytics.by_organization(region.campaign, scope)
    expected = expected_dict(raw_figures(region.campaign, lambda person: person.organization_id))
    assert as_dict(rows) == expected
    district = region.municipalities["district"]
    drilled = as_dict(analytics.by_organization(region.campaign, scope, district))
    assert set(drilled) == {
        region.organizations["district_admin"].pk,
        region.organizations["settlement_admin"].pk,
    }
    assert drilled == {key: value for key, value in expected.items() if key in drilled}


def test_a_municipal_manager_sees_only_their_municipality():
    region = build_region()
    obninsk = region.municipalities["obninsk"]
    scope = Scope.for_user(make_municipal_manager(obninsk))
    rows = as_dict(analytics.by_municipality(region.campaign, scope))
    in_obninsk = [p for p in User.objects.select_related("municipality") if p.municipality_id == obninsk.pk]
    assert rows == expected_dict(raw_figures(region.campaign, district_of, people=in_obninsk))
    assert set(rows) == {obninsk.pk}
    organizations = as_dict(analytics.by_organization(region.campaign, scope))
    assert set(organizations) - {None} == {region.organizations["obninsk_admin"].pk}  # None: the manager
    people = analytics.participants(region.campaign, scope)
    assert {p.municipality_id for p in people} == {obninsk.pk}


def test_participants_carry_state_attempts_and_result():
    region = build_region()
    scope = Scope.for_user(make_regional_manager())
    admin = region.organizations["kaluga_admin"]
    people = {p.pk: p for p in analytics.participants(region.campaign, scope, organization=admin)}
    assert set(people) == set(User.objects.filter(organization=admin).values_list("pk", flat=True))
    states = {}
    for person in people.values():
        sittings = list(Sitting.objects.filter(campaign=region.campaign, user=person))
        finished = [s for s in sittings if s.state == Sitting.State.FINISHED]
        assert person.attempts == (len(sittings) or None)
        best = max((s.percent for s in finished), default=None)
        assert person.result_percent == best
        states[person.pk] = str(analytics.state_of(person))
    assert sorted(states.values()) == sorted(
        ["не приступал", "не приступал", "проходит", "завершил", "завершил", "завершил", "завершил"]
    )
    outsider = region.outsiders[0]
    assert outsider.pk not in {p.pk for p in analytics.participants(region.campaign, scope)}


def test_participation_and_totals():
    row = analytics.ResultRow(key=1, name="x", expected=8, finished=3, average=Decimal("50.0"))
    other = analytics.ResultRow(key=2, name="y", expected=0, finished=1, average=Decimal("90.0"))
    assert row.participation == Decimal("37.5")
    assert other.participation is None
    total = analytics.total_row([row, other])
    assert (total.expected, total.finished, total.average) == (8, 4, Decimal("60.0"))


def test_rows_sort_by_any_column_with_empty_values_last():
    rows = [
        analytics.ResultRow(key=1, name="Б", expected=3, finished=3, average=Decimal("40")),
        analytics.ResultRow(key=2, name="а", expected=5, finished=0),
        analytics.ResultRow(key=3, name="В", expected=4, finished=2, average=Decimal("90")),
    ]
    assert [r.key for r in analytics.sort_rows(rows, "name")] == [2, 1, 3]
    assert [r.key for r in analytics.sort_rows(rows, "-expected")] == [2, 3, 1]
    assert [r.key for r in analytics.sort_rows(rows, "average")] == [1, 3, 2]
    assert [r.key for r in analytics.sort_rows(rows, "-average")] == [3, 1, 2]
    assert [r.key for r in analytics.sort_rows(rows, "nonsense")] == [2, 1, 3]


def test_live_counters_per_municipality_in_one_query():
    region = build_region()
    with CaptureQueriesContext(connection) as queries:
        counters = analytics.live_counters(region.campaign.pk)
    assert len(queries) == 1
    raw = raw_figures(region.campaign, lambda person: person.municipality_id)
    assert counters == {
        key: (cell["started"], cell["finished"], cell["passed"])
        for key, cell in raw.items()
        if cell["started"]
    }


def test_the_results_table_takes_a_fixed_number_of_queries():
    region = build_region()
    scope = Scope.for_user(make_regional_manager())
    with CaptureQueriesContext(connection) as small:
        analytics.by_municipality(region.campaign, scope)
    for index in range(10):
        make_person(region.organizations["obninsk_admin"], last_name=f"Новиков{index}")
    with CaptureQueriesContext(connection) as large:
        analytics.by_municipality(region.campaign, scope)
    assert len(large) == len(small)


# ---- item analysis ---------------------------------------------------------------------------------

# Ten people, three questions: 1 — right, 0 — wrong, None — left unanswered.
MATRIX = [
    (1, 1, 1),
    (1, 1, 1),
    (1, 1, 0),
    (1, 1, 0),
    (1, 0, 1),
    (1, 0, 0),
    (1, 0, 0),
    (0, 0, 1),
    (0, 0, 0),
    (None, None, None),
]


def expected_items(matrix):
    """Facility and discrimination computed straight from the matrix (ranks: total, then order)."""
    n = len(matrix)
    k = max(1, int((Decimal("0.27") * n).quantize(Decimal(1), ROUND_HALF_UP)))
    totals = [sum(v or 0 for v in row) for row in matrix]
    by_rank = sorted(range(n), key=lambda i: (-totals[i], i))
    upper = by_rank[:k]
    lower = sorted(range(n), key=lambda i: (totals[i], -i))[:k]
    result = []
    for q in range(len(matrix[0])):
        facility = Decimal(sum(matrix[i][q] or 0 for i in range(n))) / n
        p_upper = Decimal(sum(matrix[i][q] or 0 for i in upper)) / k
        p_lower = Decimal(sum(matrix[i][q] or 0 for i in lower)) / k
        answered = sum(1 for i in range(n) if matrix[i][q] is not None)
        result.append((facility, p_upper - p_lower, answered))
    return result


def test_item_analysis_on_a_known_case():
    now = timezone.now()
    municipality = make_municipality("Город Калуга")
    topic = make_category("Конфликт интересов")
    questions = [make_single_choice(topic) for _ in range(3)]
    quiz = make_quiz(questions, pass_mark=50)
    audience = Audience.objects.create(title="Калуга")
    audience.municipalities.add(municipality)
    campaign = TestCampaign.objects.create(
        title="Известный случай",
        quiz=quiz,
        audience=audience,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=1),
    )
    for row in MATRIX:
        sitting = start_campaign_sitting(make_person(municipality=municipality), campaign, now=now)
        for snapshot, value in zip(sitting.questions(), row, strict=True):
            if value is not None:
                answer = correct_answer(snapshot) if value else wrong_answer(snapshot)
                save_answer(sitting, snapshot["id"], answer, seq=1, now=now)
        finish_sitting(sitting, now=now)
    items = analytics.item_analysis(campaign, Scope.for_user(make_regional_manager()))
    assert [item.question_id for item in items] == [q.pk for q in questions]
    four = Decimal("0.0001")
    for item, (facility, discrimination, answered) in zip(items, expected_items(MATRIX), strict=True):
        assert item.seen == len(MATRIX)
        assert item.responses == answered
        assert item.facility == facility.quantize(four)
        assert item.discrimination == discrimination.quantize(four)
    # The unanswered question counts as 0, not as missing: 7 of 10, not 7 of 9.
    assert items[0].facility == Decimal("0.7")
    assert items[1].discrimination == Decimal("1")


def test_item_analysis_is_scoped_and_empty_without_finished_sittings():
    region = build_region()
    obninsk_scope = Scope.for_user(make_municipal_manager(region.municipalities["obninsk"]))
    items = analytics.item_analysis(region.campaign, obninsk_scope)
    obninsk_counted = analytics.counted_sittings(region.campaign, obninsk_scope)
    assert {item.seen for item in items} == {obninsk_counted.count()}
    outside_scope = Scope.for_user(make_municipal_manager(region.municipalities["outside"]))
    assert analytics.item_analysis(region.campaign, outside_scope) == []


# ---- weak topics -----------------------------------------------------------------------------------


def test_topics_per_municipality_match_the_raw_responses():
    region = build_region()
    scope = Scope.for_user(make_regional_manager())
    table = analytics.topic_table(region.campaign, scope)
    counted = analytics.counted_sittings(region.campaign).select_related("user__municipality")
    earned = defaultdict(Decimal)
    seen = defaultdict(int)
    category_of = dict(region.campaign.quiz.questions.values_list("pk", "category__name"))
    for sitting in counted:
        fractions = sitting.fractions()
        for question_id in sitting.question_order:
            key = (category_of[question_id], district_of(sitting.user))
            earned[key] += fractions.get(question_id) or Decimal(0)
            seen[key] += 1
    for row in table.rows:
        for district_id, value in row.by_district.items():
            key = (row.name, district_id)
            assert value == (earned[key] / seen[key]).quantize(Decimal("0.0001"))
    means = [row.mean for row in table.rows]
    assert means == sorted(means)
    assert {name for name, _district in seen} == {row.name for row in table.rows}
    assert analytics.weakest_topics(region.campaign, scope, limit=1) == table.rows[:1]
