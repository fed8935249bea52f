"""Schemathesis against the API's OpenAPI schema (``/api/v1/openapi.json``), in-process over WSGI.

A servant with a running campaign (and a sitting in progress) calls every operation with generated
requests, valid and invalid: no 5xx, and every response conforms to the schema (documented status
codes, content type, body shape).
"""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from config.wsgi import application
from people.audience import Audience
from people.factories import make_municipality, make_person
from quizzes.factories import (
    make_matching,
    make_multiple_choice,
    make_quiz,
    make_short_text,
    make_single_choice,
)
from quizzes.models import TestCampaign
from quizzes.services import start_campaign_sitting

EXAMPLES = 15


@pytest.fixture
def request_signals_kept_off_the_connection(servant_with_campaign):
    """Schemathesis calls the WSGI handler directly, whose request signals close the database
    connection (a real close on PostgreSQL) in the middle of the test's transaction; Django's test
    client disconnects them the same way, and reconnects them after each of its own requests (so
    this runs after the fixture's client requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def servant_with_campaign():
    municipality = make_municipality("Город Обнинск")
    audience = Audience.objects.create(title="Обнинск")
    audience.municipalities.add(municipality)
    quiz = make_quiz(
        [make_single_choice(), make_multiple_choice(), make_short_text(), make_matching()],
        time_limit=30,
        attempts_allowed=0,
    )
    now = timezone.now()
    campaign = TestCampaign.objects.create(
        title="Тестирование",
        quiz=quiz,
        audience=audience,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    person = make_person(municipality=municipality)
    start_campaign_sitting(person, campaign, now=now)
    client = Client()
    client.force_login(person)
    client.get("/tests/")  # a page with a form: sets the CSRF cookie
    return {
        "cookies": {name: morsel.value for name, morsel in client.cookies.items()},
        "headers": {"X-CSRFToken": client.cookies["csrftoken"].value},
    }


def operations():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.slow
@pytest.mark.django_db
def test_every_operation_answers_by_its_schema(
    servant_with_campaign, request_signals_kept_off_the_connection
):
    found = operations()
    assert len(found) >= 6
    failures = []
    for operation in found:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,  # the same examples on every run: a failure is reproducible
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(**servant_with_campaign)

        try:
            check()
        except Exception as error:  # collect all operations' failures, not only the first
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
