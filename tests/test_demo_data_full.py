"""`manage.py demo_data` with every app's builder: what `make run` shows, and a rerun changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cms.models import MaterialPage, Plan, PlanItem
from courses.models import CoursePage, Enrollment
from events.models import EventPage
from people.models import User
from people.scope import Scope
from quizzes.models import Sitting, TestCampaign
from reports.plan.choice import choose_plan
from reports.plan.report import build_plan_report

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, CoursePage, Enrollment, EventPage, MaterialPage, TestCampaign, Sitting)
    }


def test_demo_data_builds_the_whole_platform_and_is_idempotent(client):
    call_command("load_region", stdout=StringIO())
    call_command("load_plan", stdout=StringIO(), stderr=StringIO())
    call_command("demo_data", "--servants", "40", "--force", stdout=StringIO())
    first = counts()
    this_year = timezone.localdate().year
    # The 2024 plan of the seed and this year's plan, a copy of it: the report's default has figures.
    assert list(Plan.objects.order_by("year").values_list("year", flat=True)) == [2024, this_year]
    assert PlanItem.objects.of_year(2024).count() == PlanItem.objects.of_year(this_year).count() == 39
    assert first["CoursePage"] >= 1
    assert first["EventPage"] >= 4
    assert first["MaterialPage"] >= 5
    # the yearly re-run (two campaigns on one quiz) and Obninsk's own campaign on the same quiz
    assert first["TestCampaign"] == 3
    from quizzes.demo import CLOSED_CAMPAIGN, LOCAL_CAMPAIGN, OPEN_CAMPAIGN

    local = TestCampaign.objects.select_related("audience__owner_municipality").get(title=LOCAL_CAMPAIGN)
    assert local.audience.owner_municipality.name == "Городской округ «Город Обнинск»"
    assert local.created_by.username == "obninsk"
    yearly = TestCampaign.objects.filter(title__in=[OPEN_CAMPAIGN, CLOSED_CAMPAIGN])
    assert yearly.values("quiz").distinct().count() == 1
    assert Enrollment.objects.filter(user__username="servant").exists()
    assert TestCampaign.objects.for_person(User.objects.get(username="servant"))

    assert_the_default_plan_report_has_figures(client)
    assert_the_annual_report_draft_is_there(client)
    assert_a_mass_message_reached_the_servant(client)

    call_command("demo_data", "--servants", "40", "--force", stdout=StringIO())
    assert counts() == first
    assert Plan.objects.count() == 2
    from reports.models import PlanReportIndexPage, PlanReportPage

    assert PlanReportIndexPage.objects.count() == PlanReportPage.objects.count() == 1
    from people.broadcasts.models import Broadcast

    assert Broadcast.objects.count() == 1  # not sent again


def assert_the_annual_report_draft_is_there(client):
    """The public section «Противодействие коррупции» and a prefilled draft of this year's report."""
    from reports.models import PlanReportIndexPage, PlanReportPage

    index = PlanReportIndexPage.objects.get()
    assert index.live and client.get(index.url).status_code == 200
    report = PlanReportPage.objects.get()
    assert report.plan.year == timezone.localdate().year and not report.live
    texts = {text.item.number: text.text for text in report.texts.all()}
    assert len(texts) == 39 and texts["5.1"].startswith("<p>В ") and texts["2.2"] == ""


def assert_the_default_plan_report_has_figures(client):
    """`make run`, then the plan report with its defaults (this year, this year's plan): real figures."""
    region = User.objects.get(username="region")

    choice = choose_plan({})
    assert choice.ok and choice.plan.year == choice.period.start.year == timezone.localdate().year
    report = build_plan_report(choice.plan, choice.period, Scope.for_user(region))
    figures = {
        section.item.number: {k: v for k, v in section.figures.total.values.items() if k != "target"}
        for section in report.sections
    }
    with_activities = [
        n for n, section in zip(figures, report.sections, strict=True) if section.figures.activities
    ]
    assert {"5.1", "5.7"} <= set(with_activities), with_activities
    assert any(value for values in figures.values() for value in values.values() if value), figures

    client.force_login(region)
    response = client.get(reverse("reports_exports:plan_report"), {"format": "docx"})
    assert response.status_code == 200


def assert_a_mass_message_reached_the_servant(client):
    """«Рассылки» has the regional manager's reminder to those who have not started the open campaign,
    and the demo servant, who has not, sees it in the cabinet."""
    from people.broadcasts.models import Broadcast

    broadcast = Broadcast.objects.get()
    assert broadcast.author.username == "region" and broadcast.recipient_count > 0
    servant = User.objects.get(username="servant")
    client.force_login(servant)
    assert broadcast.subject in client.get(reverse("cabinet")).content.decode()
    client.logout()
