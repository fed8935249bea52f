import io

import pytest

from people.demo import build_people
from people.region import load_region
from quizzes.demo import CLOSED_CAMPAIGN, OPEN_CAMPAIGN, build_demo_quizzes
from quizzes.models import Question, Sitting, TestCampaign

pytestmark = pytest.mark.django_db


def test_demo_quizzes_build_open_and_closed_campaigns_once():
    load_region()
    build_people(servants=60, seed=1)
    build_demo_quizzes(io.StringIO(), {"seed": 1})
    assert Question.objects.count() == 16
    open_campaign = TestCampaign.objects.get(title=OPEN_CAMPAIGN)
    closed = TestCampaign.objects.get(title=CLOSED_CAMPAIGN)
    assert open_campaign.is_open()
    assert closed.has_closed()
    servant = open_campaign.expected_participants().get(username="servant")
    assert TestCampaign.objects.for_person(servant)[0] == open_campaign
    simulated = Sitting.objects.filter(campaign=closed)
    assert simulated.exists()
    assert simulated.filter(state=Sitting.State.FINISHED).count() >= simulated.count() // 2

    counts = (Question.objects.count(), Sitting.objects.count(), TestCampaign.objects.count())
    build_demo_quizzes(io.StringIO(), {"seed": 1})
    assert (Question.objects.count(), Sitting.objects.count(), TestCampaign.objects.count()) == counts


def test_the_demo_servant_shows_the_yearly_rerun():
    """The demo servant took last spring's campaign on the quiz that runs again now: the spring review
    withholds every question they can still meet, and the open campaign has all its attempts."""
    from quizzes.api.review import review_items
    from quizzes.cabinet import my_campaigns

    load_region()
    build_people(servants=20, seed=1)
    build_demo_quizzes(io.StringIO(), {"seed": 1})
    servant = TestCampaign.objects.get(title=OPEN_CAMPAIGN).expected_participants().get(username="servant")
    spring = Sitting.objects.get(user=servant, campaign__title=CLOSED_CAMPAIGN)
    assert spring.state == Sitting.State.FINISHED and spring.may_review()
    assert all(item["withheld"] for item in review_items(spring))
    entries = {entry.campaign.title: entry for entry in my_campaigns(servant)}
    assert entries[OPEN_CAMPAIGN].attempts_left == entries[OPEN_CAMPAIGN].quiz.attempts_allowed


def test_the_open_demo_campaign_notifies_its_audience():
    load_region()
    build_people(servants=5, seed=1)
    build_demo_quizzes(io.StringIO(), {"seed": 1})
    campaign = TestCampaign.objects.get(title=OPEN_CAMPAIGN)
    assert (campaign.notify_opening, campaign.remind_days_before, campaign.notify_result) == (True, 3, True)
    assert not TestCampaign.objects.get(title=CLOSED_CAMPAIGN).notify_opening
