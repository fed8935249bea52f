"""No N+1: the dashboard's tables and pages take the same number of queries however many rows there are."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.factories import make_event
from events.models import Attendance, BroadcastRoom, EventPage
from people.factories import make_municipality, make_organization, make_person, make_regional_manager
from quizzes.contexts import campaign_context
from quizzes.models import Sitting
from reports.tables import ReportRequest, table_spec
from reports.tests.dataset import build_dataset

pytestmark = pytest.mark.django_db


def grow(data):
    """More of everything but campaigns: municipalities, organizations, people, sittings, events, rooms."""
    coordinator = make_regional_manager()
    extra = []
    for _n in range(3):
        municipality = make_municipality()
        organization = make_organization(municipality)
        extra += [make_person(organization) for _m in range(4)]
    extra.append(make_person(data.organizations["kaluga_admin"]))
    campaign = data.campaigns[0]
    Sitting.objects.bulk_create(
        Sitting(
            user=person,
            quiz=campaign.quiz,
            campaign=campaign,
            context=campaign_context(campaign.pk),
            number=1,
            state=Sitting.State.FINISHED,
            started_at=campaign.opens_at,
            finished_at=campaign.opens_at + datetime.timedelta(minutes=9),
            pass_mark=60,
            percent=Decimal(75),
            passed=True,
        )
        for person in extra
    )
    event = make_event(start=data.moment(-30), format=EventPage.Format.ONLINE)
    for person in extra:
        Attendance.objects.create(event=event, user=person)
    room = BroadcastRoom.objects.create(
        event=event, municipality=extra[0].municipality, coordinator=coordinator, head_count=7
    )
    room.participants.set(extra[:2])


def count_queries(function):
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def test_tables_take_a_constant_number_of_queries():
    data = build_dataset(seed=31, people_per_organization=(2, 3))
    manager = make_regional_manager()
    kaluga = str(data.municipalities["kaluga"].pk)
    admin = str(data.organizations["kaluga_admin"].pk)
    requests = {
        "municipalities": {},
        "organizations": {"municipality": kaluga},
        "people": {"municipality": kaluga, "organization": admin},
    }

    def run_all():
        return {
            key: count_queries(
                lambda key=key, params=params: table_spec(key).build(
                    ReportRequest(manager.pk, data.period, params)
                )
            )
            for key, params in requests.items()
        }

    before = run_all()
    rows_before = len(table_spec("municipalities").build(ReportRequest(manager.pk, data.period)).rows)
    grow(data)
    after = run_all()
    rows_after = len(table_spec("municipalities").build(ReportRequest(manager.pk, data.period)).rows)
    assert rows_after > rows_before
    assert before == after
    assert max(after.values()) <= 25


def test_pages_take_a_constant_number_of_queries(client):
    data = build_dataset(seed=37, people_per_organization=(2, 3))
    client.force_login(make_regional_manager())
    query = f"?start={data.period.start:%Y-%m-%d}&end={data.period.end:%Y-%m-%d}"
    kaluga = data.municipalities["kaluga"].pk
    urls = [
        reverse("reports:dashboard") + query,
        reverse("reports:municipality", args=[kaluga]) + query,
        reverse("reports:organization", args=[kaluga, data.organizations["kaluga_admin"].pk]) + query,
    ]
    client.get(urls[0])  # warm up the session and the menu caches
    before = [count_queries(lambda url=url: client.get(url)) for url in urls]
    grow(data)
    after = [count_queries(lambda url=url: client.get(url)) for url in urls]
    assert before == after
