"""Manager pages: access by role, scope on every page (URL tampering is "not found"), sorting, CSV."""

import csv
import io

import pytest
from django.urls import reverse

from people.factories import make_municipal_manager, make_person, make_regional_manager
from people.roles import Role
from quizzes.models import Sitting
from quizzes.tests.test_analytics import build_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return build_region()


def page_urls(region):
    campaign = region.campaign.pk
    kaluga = region.municipalities["kaluga"].pk
    admin = region.organizations["kaluga_admin"].pk
    return [
        reverse("quizzes_manage:results", args=[campaign]),
        reverse("quizzes_manage:organizations", args=[campaign]),
        reverse("quizzes_manage:municipality", args=[campaign, kaluga]),
        reverse("quizzes_manage:municipality_people", args=[campaign, kaluga]),
        reverse("quizzes_manage:organization_people", args=[campaign, admin]),
        reverse("quizzes_manage:people", args=[campaign]),
        reverse("quizzes_manage:items", args=[campaign]),
        reverse("quizzes_manage:topics", args=[campaign]),
        reverse("quizzes_manage:monitor", args=[campaign]),
        reverse("quizzes_manage:export", args=[campaign]),
    ]


def test_regional_manager_sees_every_page(client, region):
    client.force_login(make_regional_manager())
    response = client.get(reverse("quizzes_manage:campaigns"))
    assert response.status_code == 200
    assert region.campaign.title in response.content.decode()
    for url in page_urls(region):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.SERVANT, Role.TRAINER])
def test_servants_and_trainers_are_refused(client, region, role):
    client.force_login(make_person(region.organizations["kaluga_admin"], role=role))
    assert client.get(reverse("quizzes_manage:campaigns")).status_code == 403
    for url in page_urls(region):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, region):
    response = client.get(reverse("quizzes_manage:results", args=[region.campaign.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_municipal_manager_sees_no_kaluga_numbers_anywhere(client, region):
    obninsk = region.municipalities["obninsk"]
    client.force_login(make_municipal_manager(obninsk))
    campaign = region.campaign.pk
    kaluga_people = [p for p in region.people if p.municipality_id == region.municipalities["kaluga"].pk]
    forbidden_text = ["Калуга", "Калуги", "Средняя школа", *(p.last_name for p in kaluga_people)]
    pages = [
        reverse("quizzes_manage:campaigns"),
        reverse("quizzes_manage:results", args=[campaign]),
        reverse("quizzes_manage:organizations", args=[campaign]),
        reverse("quizzes_manage:municipality", args=[campaign, obninsk.pk]),
        reverse("quizzes_manage:municipality_people", args=[campaign, obninsk.pk]),
        reverse("quizzes_manage:people", args=[campaign]),
        reverse("quizzes_manage:items", args=[campaign]),
        reverse("quizzes_manage:topics", args=[campaign]),
        reverse("quizzes_manage:monitor", args=[campaign]),
        reverse("quizzes_manage:export", args=[campaign]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        for text in forbidden_text:
            assert text not in body, (url, text)
    people_page = client.get(reverse("quizzes_manage:people", args=[campaign])).content.decode()
    for person in region.people:
        if person.municipality_id == obninsk.pk:
            assert person.last_name in people_page


def test_url_tampering_gives_not_found(client, region):
    client.force_login(make_municipal_manager(region.municipalities["obninsk"]))
    campaign = region.campaign.pk
    for url in [
        reverse("quizzes_manage:municipality", args=[campaign, region.municipalities["kaluga"].pk]),
        reverse("quizzes_manage:municipality_people", args=[campaign, region.municipalities["kaluga"].pk]),
        reverse("quizzes_manage:municipality", args=[campaign, region.municipalities["settlement"].pk]),
        reverse(
            "quizzes_manage:organization_people", args=[campaign, region.organizations["kaluga_admin"].pk]
        ),
        reverse("quizzes_manage:results", args=[999_999]),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_campaign_without_anybody_of_the_municipality_is_not_found(client, region):
    client.force_login(make_municipal_manager(region.municipalities["outside"]))
    assert region.campaign.title not in client.get(reverse("quizzes_manage:campaigns")).content.decode()
    assert client.get(reverse("quizzes_manage:results", args=[region.campaign.pk])).status_code == 404
    assert client.get(reverse("quizzes_manage:monitor", args=[region.campaign.pk])).status_code == 404


def _table_names(body, marker='<th scope="row">'):
    names = []
    for chunk in body.split(marker)[1:]:
        cell = chunk.split("</th>", 1)[0]
        if ">" in cell:  # a link: take its text
            cell = cell.split(">", 1)[1].split("<", 1)[0]
        names.append(cell.strip())
    return names


def test_results_table_sorts_server_side(client, region):
    client.force_login(make_regional_manager())
    url = reverse("quizzes_manage:results", args=[region.campaign.pk])
    by_name = _table_names(client.get(url).content.decode())
    names = [n for n in by_name if n != "Итого"]
    assert names == sorted(names, key=str.lower)
    by_expected = _table_names(client.get(url, {"sort": "-expected"}).content.decode())
    kaluga_first = [n for n in by_expected if n != "Итого"]
    assert kaluga_first[0] == "Город Калуга"  # the most expected people: 10 + the school
    assert kaluga_first != names


def test_csv_export_matches_the_numbers(client, region):
    client.force_login(make_regional_manager())
    response = client.get(reverse("quizzes_manage:export", args=[region.campaign.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, *body = rows
    assert header[0] == "Муниципальное образование"
    by_name = {row[0]: row for row in body}
    kaluga = region.municipalities["kaluga"]
    started = Sitting.objects.filter(campaign=region.campaign, user__municipality=kaluga)
    assert int(by_name["Город Калуга"][2]) == started.order_by().values("user").distinct().count()
    total = by_name["Итого"]
    assert int(total[1]) == sum(int(row[1]) for row in body if row[0] != "Итого")


def test_people_list_shows_state_and_result(client, region):
    client.force_login(make_regional_manager())
    school = region.organizations["kaluga_school"]
    response = client.get(reverse("quizzes_manage:organization_people", args=[region.campaign.pk, school.pk]))
    body = response.content.decode()
    for person in region.people:
        if person.organization_id == school.pk:
            assert person.last_name in body
    assert "не приступал" in body
    assert "завершил" in body
    best = client.get(
        reverse("quizzes_manage:organization_people", args=[region.campaign.pk, school.pk]),
        {"sort": "-result"},
    ).content.decode()
    top = _table_names(best)[0]
    best_sitting = Sitting.objects.filter(campaign=region.campaign, user__organization=school).order_by(
        "-percent"
    )[0]
    assert best_sitting.user.last_name in top


def test_cabinet_links_managers_to_campaign_results(client):
    from people.factories import make_municipal_manager, make_municipality, make_person

    manager = make_municipal_manager(make_municipality())
    client.force_login(manager)
    assert "/manage/tests/" in client.get("/cabinet/").content.decode()
    client.force_login(make_person())
    assert "/manage/tests/" not in client.get("/cabinet/").content.decode()
