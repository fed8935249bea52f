"""`manage.py demo_data` with every app's builder: what `make run` shows, and a rerun changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from cms.models import MaterialPage, PlanItem
from courses.models import CoursePage, Enrollment
from events.models import EventPage
from people.models import User
from quizzes.models import Sitting, TestCampaign

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, CoursePage, Enrollment, EventPage, MaterialPage, TestCampaign, Sitting)
    }


def test_demo_data_builds_the_whole_platform_and_is_idempotent():
    call_command("load_region", stdout=StringIO())
    call_command("load_plan", stdout=StringIO(), stderr=StringIO())
    call_command("demo_data", "--servants", "40", "--force", stdout=StringIO())
    first = counts()
    assert PlanItem.objects.count() == 39
    assert first["CoursePage"] >= 1
    assert first["EventPage"] >= 4
    assert first["MaterialPage"] >= 5
    assert first["TestCampaign"] == 2
    assert Enrollment.objects.filter(user__username="servant").exists()
    assert TestCampaign.objects.for_person(User.objects.get(username="servant"))

    call_command("demo_data", "--servants", "40", "--force", stdout=StringIO())
    assert counts() == first
