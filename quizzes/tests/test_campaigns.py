import datetime

import pytest
from django.utils import timezone

from people.audience import Audience
from people.factories import make_municipality, make_person
from quizzes.exceptions import CampaignNotOpen, NotInAudience
from quizzes.factories import make_quiz, make_single_choice
from quizzes.models import ExtraTime, Quiz, TestCampaign
from quizzes.services import finish_sitting, start_campaign_sitting

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2024, 3, 1, 10, 0))


@pytest.fixture
def setting():
    obninsk = make_municipality("Город Обнинск")
    kaluga = make_municipality("Город Калуга")
    audience = Audience.objects.create(title="Обнинск")
    audience.municipalities.add(obninsk)
    quiz = make_quiz(time_limit=30, review_policy=Quiz.ReviewPolicy.AFTER_CLOSE)
    quiz.questions.add(make_single_choice(), through_defaults={"order": 1})
    campaign = TestCampaign.objects.create(
        title="Тестирование муниципальных служащих",
        quiz=quiz,
        audience=audience,
        opens_at=NOW - datetime.timedelta(days=1),
        closes_at=NOW + datetime.timedelta(minutes=20),
    )
    return {
        "campaign": campaign,
        "inside": make_person(municipality=obninsk),
        "outside": make_person(municipality=kaluga),
    }


def test_open_now_and_for_person(setting):
    campaign = setting["campaign"]
    assert list(TestCampaign.objects.open_now(NOW)) == [campaign]
    assert list(TestCampaign.objects.open_now(campaign.closes_at)) == []
    assert TestCampaign.objects.for_person(setting["inside"]) == [campaign]
    assert TestCampaign.objects.for_person(setting["outside"]) == []
    assert set(campaign.expected_participants()) == {setting["inside"]}


def test_deadline_is_the_campaign_close_when_earlier(setting):
    sitting = start_campaign_sitting(setting["inside"], setting["campaign"], now=NOW)
    assert sitting.campaign == setting["campaign"]
    assert sitting.deadline == setting["campaign"].closes_at


def test_extra_time_extends_the_time_limit(setting):
    campaign = setting["campaign"]
    campaign.closes_at = NOW + datetime.timedelta(days=1)
    campaign.save()
    ExtraTime.objects.create(campaign=campaign, user=setting["inside"], minutes=15)
    sitting = start_campaign_sitting(setting["inside"], campaign, now=NOW)
    assert sitting.deadline == NOW + datetime.timedelta(minutes=45)


def test_outside_audience_and_outside_window_are_refused(setting):
    with pytest.raises(NotInAudience):
        start_campaign_sitting(setting["outside"], setting["campaign"], now=NOW)
    with pytest.raises(CampaignNotOpen):
        start_campaign_sitting(setting["inside"], setting["campaign"], now=setting["campaign"].closes_at)
    setting["campaign"].is_published = False
    with pytest.raises(CampaignNotOpen):
        start_campaign_sitting(setting["inside"], setting["campaign"], now=NOW)


def test_review_after_close_waits_for_the_campaign_to_close(setting):
    sitting = start_campaign_sitting(setting["inside"], setting["campaign"], now=NOW)
    finish_sitting(sitting, now=NOW + datetime.timedelta(minutes=1))
    assert not sitting.may_review(now=NOW + datetime.timedelta(minutes=2))
    assert sitting.may_review(now=setting["campaign"].closes_at)


def test_my_campaigns_are_found_in_one_query_however_many(setting, django_assert_num_queries):
    campaign = setting["campaign"]
    for n in range(3):
        audience = Audience.objects.create(title=f"Поимённо {n}")
        audience.people.add(setting["inside"])
        TestCampaign.objects.create(
            title=f"Ещё {n}",
            quiz=campaign.quiz,
            audience=audience,
            opens_at=NOW,
            closes_at=campaign.closes_at,
        )
    with django_assert_num_queries(1):
        found = TestCampaign.objects.for_person(setting["inside"])
    assert len(found) == 4
    with django_assert_num_queries(1):
        assert TestCampaign.objects.for_person(setting["outside"]) == []


def test_a_campaign_read_for_a_start_knows_membership_and_extra_time_without_a_query(
    setting, django_assert_num_queries
):
    inside, outside = setting["inside"], setting["outside"]
    ExtraTime.objects.create(campaign=setting["campaign"], user=inside, minutes=10)
    with django_assert_num_queries(1):
        campaign = TestCampaign.objects.for_start_by(inside).get(pk=setting["campaign"].pk)
        assert campaign.admits(inside)
        assert campaign.extra_time_for(inside) == datetime.timedelta(minutes=10)
    read_for_outsider = TestCampaign.objects.for_start_by(outside).get(pk=campaign.pk)
    with django_assert_num_queries(0):
        assert not read_for_outsider.admits(outside)
        assert read_for_outsider.extra_time_for(outside) is None
    with django_assert_num_queries(1):
        assert read_for_outsider.admits(inside)  # another person: asks the database
