"""Dashboard pages: access by role, scope on every page and table (URL tampering is "not found"),
period selection, sorting, charts, the admin menu and export links."""

import re

import pytest
from django.urls import reverse

from people.factories import make_municipal_manager, make_person, make_regional_manager
from people.roles import Role
from reports.tables import ReportRequest, table_spec
from reports.tests.dataset import build_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_dataset(seed=17, people_per_organization=(2, 4))


def period_query(data):
    return f"?start={data.period.start:%Y-%m-%d}&end={data.period.end:%Y-%m-%d}"


def urls(data, municipality="kaluga", organization="kaluga_admin"):
    pk = data.municipalities[municipality].pk
    return [
        reverse("reports:dashboard"),
        reverse("reports:municipality", args=[pk]),
        reverse("reports:municipality_people", args=[pk]),
        reverse("reports:organization", args=[pk, data.organizations[organization].pk]),
        reverse("reports:organization", args=[pk, "none"]),
    ]


def test_regional_manager_sees_every_page_and_the_regional_bodies(client, data):
    client.force_login(make_regional_manager())
    for url in [*urls(data), reverse("reports:municipality", args=["regional"])]:
        response = client.get(url + period_query(data))
        assert response.status_code == 200, url
    body = client.get(reverse("reports:dashboard") + period_query(data)).content.decode()
    for name in ("Калуга", "Обнинск", "Бабынинский район", "Областные органы"):
        assert name in body
    assert "Бабынино»" not in body  # the settlement is rolled up into its district
    assert body.count('<figure class="chart">') == 4  # three bar charts and the months
    regional = reverse("reports:organization", args=["regional", data.organizations["regional"].pk])
    assert client.get(regional).status_code == 200


@pytest.mark.parametrize("role", [Role.SERVANT, Role.TRAINER])
def test_servants_and_trainers_are_refused(client, data, role):
    client.force_login(make_person(data.organizations["kaluga_admin"], role=role))
    for url in urls(data):
        assert client.get(url).status_code == 403, url


def test_a_municipal_manager_without_a_municipality_is_refused(client, data):
    client.force_login(make_person(role=Role.MUNICIPAL_MANAGER))
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_anonymous_is_sent_to_login(client, data):
    for url in urls(data):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_municipal_manager_sees_only_their_municipality(client, data):
    obninsk = data.municipalities["obninsk"]
    client.force_login(make_municipal_manager(obninsk))
    foreign = [p for p in data.people if p.municipality_id != obninsk.pk]
    forbidden = ["Калуга", "Калуги", "Бабынин", "Областные органы", "Министерство", "Средняя школа"]
    for url in urls(data, "obninsk", "obninsk_admin"):
        response = client.get(url + period_query(data))
        assert response.status_code == 200, url
        body = response.content.decode()
        for text in forbidden + [p.last_name + "<" for p in foreign]:
            assert text not in body, (url, text)
    people_page = client.get(reverse("reports:municipality_people", args=[obninsk.pk])).content.decode()
    for person in data.people:
        if person.municipality_id == obninsk.pk and person.is_active:
            assert person.last_name in people_page


def test_url_tampering_gives_not_found(client, data):
    obninsk = data.municipalities["obninsk"].pk
    kaluga = data.municipalities["kaluga"].pk
    settlement = data.municipalities["settlement"].pk
    kaluga_admin = data.organizations["kaluga_admin"].pk
    client.force_login(make_municipal_manager(data.municipalities["obninsk"]))
    for url in [
        reverse("reports:municipality", args=[kaluga]),
        reverse("reports:municipality", args=[settlement]),
        reverse("reports:municipality", args=["regional"]),
        reverse("reports:municipality", args=[999_999]),
        reverse("reports:municipality", args=["abc"]),
        reverse("reports:municipality_people", args=[kaluga]),
        reverse("reports:organization", args=[kaluga, kaluga_admin]),
        reverse("reports:organization", args=[obninsk, kaluga_admin]),  # another municipality's body
        reverse("reports:organization", args=[obninsk, data.organizations["regional"].pk]),
        reverse("reports:organization", args=[obninsk, "abc"]),
    ]:
        assert client.get(url).status_code == 404, url


def test_organization_of_another_municipality_is_not_found_for_the_regional_manager_too(client, data):
    client.force_login(make_regional_manager())
    obninsk = data.municipalities["obninsk"].pk
    url = reverse("reports:organization", args=[obninsk, data.organizations["kaluga_admin"].pk])
    assert client.get(url).status_code == 404


def test_district_manager_sees_the_settlement_inside_the_district(client, data):
    district = data.municipalities["district"]
    settlement = data.municipalities["settlement"]
    client.force_login(make_municipal_manager(district))
    assert client.get(reverse("reports:municipality", args=[district.pk])).status_code == 200
    body = client.get(reverse("reports:municipality", args=[district.pk])).content.decode()
    assert "Администрация села Бабынино" in body
    assert client.get(reverse("reports:municipality", args=[settlement.pk])).status_code == 200
    url = reverse("reports:organization", args=[district.pk, data.organizations["settlement_admin"].pk])
    assert client.get(url).status_code == 200


def test_settlement_manager_sees_the_settlement_itself(data):
    settlement = data.municipalities["settlement"]
    manager = make_municipal_manager(settlement)
    table = table_spec("municipalities").build(ReportRequest(manager.pk, data.period))
    assert [row["id"] for row in table.rows] == [settlement.pk]


@pytest.mark.parametrize("key", ["municipalities", "organizations", "people"])
def test_tables_refuse_people_without_a_scope_and_tampered_params(data, key):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    servant = make_person(data.organizations["kaluga_admin"])
    with pytest.raises(PermissionDenied):
        table_spec(key).build(ReportRequest(servant.pk, data.period))
    manager = make_municipal_manager(data.municipalities["obninsk"])
    for params in (
        {"municipality": str(data.municipalities["kaluga"].pk)},
        {"municipality": "regional"},
        {
            "municipality": str(data.municipalities["obninsk"].pk),
            "organization": str(data.organizations["kaluga_admin"].pk),
        },
    ):
        with pytest.raises(Http404):
            table_spec(key).build(ReportRequest(manager.pk, data.period, params))


def _row_names(body):
    tbody = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r'<th scope="row">(.*?)</th>', tbody)]


def _column(body, index):
    tbody = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    values = []
    for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row)
        values.append(cells[index])
    return values


def test_tables_sort_on_the_server(client, data):
    client.force_login(make_regional_manager())
    base = reverse("reports:dashboard") + period_query(data)
    names = _row_names(client.get(base).content.decode())
    assert names[:3] == sorted(names[:3], key=str.lower)
    body = client.get(base + "&sort=-people").content.decode()
    people = [int(value) for value in _column(body, 0)]
    assert people == sorted(people, reverse=True)
    assert 'aria-sort="descending"' in body
    body = client.get(base + "&sort=people").content.decode()
    assert [int(value) for value in _column(body, 0)] == sorted(people)
    assert client.get(base + "&sort=nonsense").status_code == 200


def test_period_selection(client, data):
    client.force_login(make_regional_manager())
    response = client.get(reverse("reports:dashboard") + "?year=abc")
    assert response.status_code == 400
    assert "Год указан неверно." in response.content.decode()
    response = client.get(reverse("reports:dashboard") + "?start=2026-05-01&end=2026-04-01")
    assert response.status_code == 400
    response = client.get(reverse("reports:dashboard") + "?year=2001")
    assert response.status_code == 200
    assert "За этот период данных нет." not in response.content.decode()  # people are there anyway


def test_drill_down_links_keep_the_period(client, data):
    client.force_login(make_regional_manager())
    body = client.get(reverse("reports:dashboard") + period_query(data)).content.decode()
    kaluga = reverse("reports:municipality", args=[data.municipalities["kaluga"].pk])
    assert f'href="{kaluga}?start={data.period.start:%Y-%m-%d}&amp;end={data.period.end:%Y-%m-%d}"' in body


def test_admin_menu_shows_statistics_to_managers_only(client, data):
    client.force_login(make_regional_manager())
    assert reverse("reports:dashboard") in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(make_municipal_manager(data.municipalities["obninsk"]))
    assert reverse("reports:dashboard") in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(make_person(role=Role.TRAINER))
    assert reverse("reports:dashboard") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_export_links_follow_the_exports_url_when_it_exists(client, data):
    from django.urls import NoReverseMatch

    client.force_login(make_regional_manager())
    body = client.get(
        reverse("reports:municipality", args=[data.municipalities["kaluga"].pk])
    ).content.decode()
    try:
        export = reverse("reports_exports:export", args=["organizations"])
    except NoReverseMatch:
        assert "format=xlsx" not in body
    else:
        assert f"{export}?" in body
        assert "format=xlsx" in body and "format=csv" in body
        assert f"municipality={data.municipalities['kaluga'].pk}" in body


def test_the_export_link_of_the_dashboard_downloads_the_same_table(client, data):
    from django.urls import NoReverseMatch

    try:
        reverse("reports_exports:export", args=["municipalities"])
    except NoReverseMatch:
        pytest.skip("exports not mounted")
    client.force_login(make_regional_manager())
    body = client.get(reverse("reports:dashboard") + period_query(data)).content.decode()
    link = re.search(r'action="([^"]*format=csv[^"]*)"', body).group(1).replace("&amp;", "&")
    response = client.post(link)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8-sig")
    assert "Город Калуга" in text or "Калуга" in text
    assert "Итого" in text


def test_admin_menu_links_to_the_plan_report_and_exports_when_they_exist(client, data):
    from django.urls import NoReverseMatch

    from reports.wagtail_hooks import ReportMenuItem

    try:
        plan, jobs = reverse("reports_exports:plan_report"), reverse("reports_exports:jobs")
    except NoReverseMatch:
        pytest.skip("exports not mounted")
    client.force_login(make_regional_manager())
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert plan in body and jobs in body
    client.force_login(make_municipal_manager(data.municipalities["obninsk"]))
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert plan not in body and jobs in body
    missing = ReportMenuItem("x", "reports_exports:no_such_page", permission="people.view_region_statistics")
    assert missing.url is None
