"""The printable protocol of a campaign per municipality: its text, its scope, POST only, the audit log."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from people.audience import Audience
from people.factories import (
    make_municipal_manager,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.roles import Role
from people.scope import Scope
from quizzes import analytics
from quizzes.protocol import campaign_protocol
from quizzes.tests.test_analytics import build_region, sit
from reports.models import ExportAuditEntry

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '=HYPERLINK("http://evil.example/","Иванов")'


@pytest.fixture
def region():
    return build_region()


def protocol_url(region, key):
    return reverse(
        "quizzes_manage:municipality_protocol", args=[region.campaign.pk, region.municipalities[key].pk]
    )


def regional_url(region):
    return reverse("quizzes_manage:regional_protocol", args=[region.campaign.pk])


def pages_of(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def flat(text):
    """The text with line breaks as spaces: table cells wrap."""
    return re.sub(r"\s+", " ", text)


def people_of(region, *keys):
    organizations = {region.organizations[key].pk for key in keys}
    return [person for person in region.people if person.organization_id in organizations]


def test_the_protocol_names_campaign_municipality_settlements_people_and_totals(client, region):
    client.force_login(make_regional_manager())
    (text,) = pages_of(client.post(protocol_url(region, "district")))
    words = flat(text)
    assert "Протокол результатов тестирования" in words
    assert region.campaign.title in words
    assert region.campaign.quiz.title in words
    assert "Бабынинский район" in words
    assert "Поселения Сельское поселение «Село Утешево»" in words
    for person in people_of(region, "district_admin", "settlement_admin"):
        assert person.last_name in words
    for person in people_of(region, "kaluga_admin", "obninsk_admin"):
        assert person.last_name not in words
    assert "Администрация СП «Село Утешево»" in words
    # district [75 %], [—]; settlement [0 %], [100 %], [—], [50 %, in progress]
    assert words.count("не сдал") == 1
    assert len(re.findall(r"(?<!не )сдал\b", words)) == 3
    assert words.count("не приступал") == 2
    assert "75,00" in words and "3 из 4" in words
    # the totals equal the campaign's table for the district
    row = next(
        r
        for r in analytics.by_municipality(region.campaign, Scope.for_user(make_regional_manager()))
        if r.key == region.municipalities["district"].pk
    )
    assert (row.expected, row.started, row.finished, row.passed) == (6, 4, 4, 3)
    assert "Ожидалось участников 6" in words
    assert "Приступили к тестированию 4" in words
    assert "Завершили тестирование 4" in words
    assert "Сдали 3" in words
    assert "Участие, % 66,7" in words
    for label in ("Председатель комиссии", "Члены комиссии:", "Секретарь комиссии", "(подпись)"):
        assert label in words
    assert "(расшифровка подписи)" in words
    assert "«____» ______________ 20____ г." in words
    assert "Страница 1 из 1" in words


def test_the_service_counts_like_the_campaign_table(region):
    scope = Scope.for_user(make_regional_manager())
    for key in ("kaluga", "obninsk", "district"):
        municipality = region.municipalities[key]
        protocol = campaign_protocol(region.campaign, scope, municipality)
        row = next(r for r in analytics.by_municipality(region.campaign, scope) if r.key == municipality.pk)
        totals = protocol.totals
        assert (totals.expected, totals.started, totals.finished, totals.passed) == (
            row.expected,
            row.started,
            row.finished,
            row.passed,
        ), key
        assert totals.participation == row.participation
        assert totals.average == row.average


def test_a_long_protocol_runs_over_three_pages_with_the_header_on_each(client, region):
    obninsk = region.organizations["obninsk_admin"]
    for n in range(62):  # rows of two lines (the organization's name): about 26 + 33 + 8
        make_person(obninsk, last_name=f"Участников{n:03d}", position="Специалист")
    manager = make_municipal_manager(region.municipalities["obninsk"])  # in the audience too
    client.force_login(manager)
    pages = pages_of(client.post(protocol_url(region, "obninsk")))
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert f"Страница {number} из 3" in text
        assert "ФИО" in flat(text) and "Результат" in flat(text)  # the table's header again
    assert "Участников000" in pages[0] and "Участников061" in flat("".join(pages))
    assert "Председатель комиссии" in pages[2]
    assert "Ожидалось участников 68" in flat(pages[2])


def test_the_regional_bodies_have_a_protocol_of_their_own_for_regional_managers(client, region):
    official = make_person(make_organization(None, "Министерство финансов Калужской области"))
    Audience.objects.get(pk=region.campaign.audience_id).people.add(official)
    client.force_login(make_regional_manager())
    (text,) = pages_of(client.post(regional_url(region)))
    words = flat(text)
    assert "Областные органы" in words
    assert official.last_name in words and "Министерство финансов Калужской области" in words
    assert not any(person.last_name in words for person in region.people)
    results = client.get(reverse("quizzes_manage:results", args=[region.campaign.pk])).content.decode()
    assert f'action="{regional_url(region)}"' in results
    client.force_login(make_municipal_manager(region.municipalities["obninsk"]))
    assert client.post(regional_url(region)).status_code == 404


def test_a_municipal_manager_prints_their_own_municipality_and_settlements_only(client, region):
    client.force_login(make_municipal_manager(region.municipalities["obninsk"]))
    assert client.post(protocol_url(region, "obninsk")).status_code == 200
    for key in ("kaluga", "district", "settlement"):
        assert client.post(protocol_url(region, key)).status_code == 404, key
    missing = reverse("quizzes_manage:municipality_protocol", args=[region.campaign.pk, 999_999])
    assert client.post(missing).status_code == 404
    client.force_login(make_municipal_manager(region.municipalities["district"]))
    (text,) = pages_of(client.post(protocol_url(region, "settlement")))
    assert all(person.last_name in text for person in people_of(region, "settlement_admin"))
    assert not any(person.last_name in text for person in people_of(region, "district_admin"))


def test_a_manager_of_a_municipality_outside_the_campaign_gets_not_found(client, region):
    outside = region.municipalities["outside"]
    client.force_login(make_municipal_manager(outside))
    assert client.post(protocol_url(region, "outside")).status_code == 404
    assert client.post(protocol_url(region, "obninsk")).status_code == 404


@pytest.mark.parametrize("role", [Role.SERVANT, Role.TRAINER, Role.ORGANIZER])
def test_servants_trainers_and_organizers_are_refused(client, region, role):
    client.force_login(make_person(region.organizations["obninsk_admin"], role=role))
    assert client.post(protocol_url(region, "obninsk")).status_code == 403
    assert client.post(regional_url(region)).status_code == 403
    assert not ExportAuditEntry.objects.exists()


def test_anonymous_is_sent_to_login(client, region):
    response = client.post(protocol_url(region, "obninsk"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_get_cannot_print_and_a_post_needs_the_csrf_token(region):
    manager = make_municipal_manager(region.municipalities["obninsk"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.get(protocol_url(region, "obninsk")).status_code == 405
    assert client.post(protocol_url(region, "obninsk")).status_code == 403
    assert not ExportAuditEntry.objects.exists()
    page = client.get(reverse("quizzes_manage:results", args=[region.campaign.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(protocol_url(region, "obninsk"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert ExportAuditEntry.objects.count() == 1


def test_each_protocol_is_entered_in_the_audit_log_with_readable_names(client, region):
    manager = make_municipal_manager(region.municipalities["obninsk"])
    client.force_login(manager)
    client.post(protocol_url(region, "obninsk"))
    entry = ExportAuditEntry.objects.get()
    assert (entry.user, entry.table_key, entry.format, entry.row_count) == (
        manager,
        "campaign_protocol",
        "pdf",
        len(people_of(region, "obninsk_admin")) + 1,  # the manager works in Obninsk: in the audience
    )
    assert entry.table_title == "Протокол результатов тестирования: Город Обнинск"
    assert entry.scope == "Город Обнинск"
    assert entry.params == {
        "Тестирование": region.campaign.title,
        "Муниципальное образование": "Город Обнинск",
    }
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} – \d\d\.\d\d\.\d{4}", entry.period)
    regional = make_regional_manager()
    client.force_login(regional)
    client.post(regional_url(region))
    assert ExportAuditEntry.objects.latest("pk").params == {
        "Тестирование": region.campaign.title,
        "Муниципальное образование": "Областные органы",
    }


def test_the_results_and_municipality_pages_offer_a_protocol_per_municipality(client, region):
    client.force_login(make_regional_manager())
    page = client.get(reverse("quizzes_manage:results", args=[region.campaign.pk])).content.decode()
    for key in ("kaluga", "obninsk", "district"):
        assert f'action="{protocol_url(region, key)}"' in page, key
    assert f'action="{regional_url(region)}"' not in page  # nobody of the regional bodies takes part
    assert page.count('method="post"') >= 3
    district = reverse(
        "quizzes_manage:municipality", args=[region.campaign.pk, region.municipalities["district"].pk]
    )
    page = client.get(district).content.decode()
    assert f'action="{protocol_url(region, "district")}"' in page
    client.force_login(make_municipal_manager(region.municipalities["obninsk"]))
    page = client.get(reverse("quizzes_manage:results", args=[region.campaign.pk])).content.decode()
    assert f'action="{protocol_url(region, "obninsk")}"' in page
    assert f'action="{protocol_url(region, "kaluga")}"' not in page


def test_hostile_and_very_long_names_are_printed_as_text(client, region):
    organization = make_organization(region.municipalities["obninsk"], "Учреждение " + "О" * 480)
    person = make_person(
        organization,
        last_name=HOSTILE_NAME,
        first_name="Я" * 150,
        patronymic="Ё" * 150,
        position="Должность " + "Д" * 490,
    )
    sit(person, region.campaign, 4, region.campaign.opens_at)
    client.force_login(make_regional_manager())
    pages = pages_of(client.post(protocol_url(region, "obninsk")))
    squeezed = re.sub(r"\s+", "", "".join(pages))  # a long word wraps inside its cell
    assert HOSTILE_NAME in squeezed
    assert "Я" * 100 in squeezed
    assert "100,00" in squeezed
