"""A leaver deactivated by a full-roster import drops out of audiences and of every "how many should
have done it" figure, while what they did while active still counts."""

import datetime

import pytest
from django.utils import timezone

from cms.models import PlanItem
from cms.plan_loading import BUNDLED_PLAN_2024, load_plan, read_plan_json
from courses.factories import make_course
from courses.models import Enrollment
from people.factories import make_person, make_regional_manager
from people.importing import import_people
from people.scope import Scope

# ``region`` is a fixture: the municipalities and organizations the sample rows name.
from people.tests.test_import_full_roster import row_of
from people.tests.test_import_service import region, write_csv  # noqa: F401
from quizzes.analytics.participation import by_municipality
from quizzes.contexts import campaign_context
from quizzes.factories import make_campaign, make_municipal_audience, make_quiz
from quizzes.models import Sitting
from reports.dashboard import figures
from reports.dashboard.slices import Slice
from reports.period import Period
from reports.plan.figures import activity_rows, item_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(region, tmp_path):  # noqa: F811
    """Babynino's administration: Алексеева and Борисова stay, Громова leaves. All three take part in
    procurement (plan item 5.9) and are in a campaign's audience; Громова finished the campaign's test
    and a course linked to 5.9, and has an overdue course."""
    admin = region["babynino_admin"]
    now = timezone.now()
    today = timezone.localdate()

    def servant(last, number):
        return make_person(
            admin,
            last_name=last,
            first_name="Анна",
            email=f"{number.lower()}@example.org",
            personnel_number=number,
            has_procurement_duties=True,
        )

    stays, also_stays = servant("Алексеева", "A1"), servant("Борисова", "B1")
    leaver = servant("Громова", "D1")
    load_plan(read_plan_json(BUNDLED_PLAN_2024))
    item = PlanItem.objects.get(section__plan__year=2024, number="5.9")
    course = make_course(title="Антикоррупционные требования в закупках")
    course.plan_items.set([item])
    course.save()  # writes the parental many-to-many link
    Enrollment.objects.create(
        user=leaver, course=course, enrolled_at=now - datetime.timedelta(days=10), completed_at=now
    )
    Enrollment.objects.create(user=stays, course=course, enrolled_at=now - datetime.timedelta(days=10))
    Enrollment.objects.create(
        user=leaver,
        course=make_course(),
        enrolled_at=now - datetime.timedelta(days=20),
        due_date=today - datetime.timedelta(days=5),
    )
    audience = make_municipal_audience(region["babynino"])
    quiz = make_quiz(pass_mark=60)
    campaign = make_campaign(
        quiz, audience, now - datetime.timedelta(days=10), now + datetime.timedelta(days=10)
    )
    Sitting.objects.create(
        user=leaver,
        quiz=quiz,
        campaign=campaign,
        context=campaign_context(campaign.pk),
        state=Sitting.State.FINISHED,
        started_at=now - datetime.timedelta(days=2),
        finished_at=now - datetime.timedelta(days=2, minutes=-20),
        pass_mark=60,
        percent=90,
        passed=True,
    )
    roster = write_csv(tmp_path / "roster.csv", [row_of(stays), row_of(also_stays)])
    return {
        "leaver": leaver,
        "district": region["babynino"],
        "audience": audience,
        "campaign": campaign,
        "item": item,
        "roster": roster,
        "scope": Scope.for_user(make_regional_manager()),
        "period": Period(today - datetime.timedelta(days=30), today),
    }


def leave(world):
    report = import_people(world["roster"], full_roster=True)
    assert [person.pk for person in report.deactivated] == [world["leaver"].pk]


def test_a_leaver_drops_out_of_audiences(world):
    audience, leaver = world["audience"], world["leaver"]
    assert audience.includes(leaver)
    assert audience.members().filter(pk=leaver.pk).exists()

    leave(world)

    assert not audience.includes(leaver)
    assert not audience.members().filter(pk=leaver.pk).exists()
    assert world["campaign"].expected_participants().count() == 2


def test_a_leaver_drops_out_of_the_dashboard_denominators_but_their_test_still_counts(world):
    district = world["district"].pk

    def figures_now():
        slice_ = Slice(world["scope"])
        return (
            figures.people(slice_)[district]["people"],
            figures.campaigns(slice_, [world["campaign"]])[district],
            figures.courses(slice_, world["period"])[district].get("overdue", 0),
        )

    people, campaign, overdue = figures_now()
    assert (people, campaign["expected"], campaign["finished"], overdue) == (3, 3, 1, 1)

    leave(world)

    people, campaign, overdue = figures_now()
    assert (people, campaign["expected"], campaign["finished"], overdue) == (2, 2, 1, 0)


def test_a_leaver_drops_out_of_a_campaigns_expected_participants(world):
    def row():
        [row] = by_municipality(world["campaign"], world["scope"])
        return row.expected, row.finished

    assert row() == (3, 1)
    leave(world)
    assert row() == (2, 1)


def test_a_leaver_drops_out_of_the_plan_target_group_and_enrolment_but_their_course_still_counts(world):
    def plan_now():
        result = item_figures(world["item"], world["scope"], world["period"])
        [course] = activity_rows(result, world["scope"])
        return (
            result.total.values["target"],
            result.total.values["trained"],
            result.total.values["completed"],
            course.figures["enrolled"],
            course.figures["completed"],
        )

    assert plan_now() == (3, 1, 1, 2, 1)

    leave(world)

    # target and trained are of active people; completed is what was done, by anyone.
    assert plan_now() == (2, 0, 1, 1, 1)
