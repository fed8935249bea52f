"""Pages given absurd input answer with a Russian 4xx (or a form error), never a 500, and write
nothing: dates at the end of the calendar, ids past 64 bits, search syntax, a head count of billions."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from events.factories import make_event
from events.models import BroadcastRoom, EventPage
from events.models.attendance import MAX_HEAD_COUNT
from people.factories import make_municipal_manager, make_municipality, make_regional_manager

pytestmark = pytest.mark.django_db

HUGE_ID = "9" * 25


@pytest.fixture
def regional():
    client = Client()
    client.force_login(make_regional_manager())
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/reports/?start=2024-01-01&end=9999-12-31",
        "/reports/?start=0001-01-01&end=2024-12-31",
        "/reports/exports/plan-report/?format=docx&plan=2024&start=2024-01-01&end=9999-12-31",
    ],
)
def test_a_period_at_the_end_of_the_calendar_is_refused_in_russian(regional, url):
    from cms.models import Plan

    Plan.objects.get_or_create(
        year=2024,
        defaults={
            "title": "План 2024",
            "act_issuer": "Губернатор",
            "act_date": datetime.date(2023, 12, 7),
            "act_number": "587",
            "act_title": "Об утверждении плана",
        },
    )
    response = regional.get(url)
    assert response.status_code in (200, 400)
    assert "Период должен лежать в пределах 2000–2100 годов." in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        f"/courses/manage/overdue/?course={HUGE_ID}",
        f"/reports/exports/plan-report/?format=docx&plan={HUGE_ID}",
    ],
)
def test_an_id_past_64_bits_is_404(regional, url):
    assert regional.get(url).status_code == 404


@pytest.mark.parametrize("query", ['"', '"коррупция', "(", "*", "a:b", "NEAR(", "коррупция -"])
def test_search_syntax_in_a_query_is_not_an_error(client, query):
    from django.http import QueryDict

    from cms.materials import filter_listing

    assert client.get("/search/", {"q": query}).status_code == 200
    params = QueryDict(mutable=True)
    params["q"] = query
    assert list(filter_listing(params).results) == []


def test_a_room_head_count_is_bounded(client):
    municipality = make_municipality("Город Обнинск")
    start = timezone.now() - datetime.timedelta(hours=3)
    event = make_event(start=start, format=EventPage.Format.ONLINE, broadcast_url="https://vks.example.org/1")
    client.force_login(make_municipal_manager(municipality))
    url = f"/events/{event.pk}/rooms/{municipality.pk}/"
    for count in (2**31, MAX_HEAD_COUNT + 1, -1):
        response = client.post(url, {"room": "Актовый зал", "head_count": str(count)})
        assert response.status_code == 200  # the form again, with its error
        assert "число присутствовавших" in response.content.decode().lower()
        assert not BroadcastRoom.objects.exists()
    assert client.post(url, {"room": "Актовый зал", "head_count": str(MAX_HEAD_COUNT)}).status_code == 302
    assert BroadcastRoom.objects.get().head_count == MAX_HEAD_COUNT


NUL_MESSAGE = "Запрос содержит недопустимый символ (NUL)"


@pytest.mark.parametrize(
    "method, url, data",
    [
        ("get", "/reports/exports/audit/?user=%00", None),  # a 500 on PostgreSQL before
        ("get", "/materials/?q=a%00b", None),
        ("get", "/courses/%00/", None),
        ("post", "/login/", {"username": "servant\x00", "password": "x"}),  # django-axes logged it: a 500
    ],
)
def test_a_nul_character_is_refused_in_russian_with_nothing_written(regional, method, url, data):
    from axes.models import AccessAttempt, AccessLog

    logged = AccessLog.objects.count()  # the manager's own sign-in is there already
    response = getattr(regional, method)(url, data) if data else getattr(regional, method)(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not AccessAttempt.objects.exists() and AccessLog.objects.count() == logged


def test_the_api_refuses_a_nul_in_its_query_as_json(regional):
    response = regional.get("/api/v1/tests/campaigns/?x=%00")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(NUL_MESSAGE)
