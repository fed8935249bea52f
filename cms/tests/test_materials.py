"""The materials library: page rules, the filtered listing, feeds, the material page, admin and demo."""

import datetime
import io
import tempfile
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.http import QueryDict
from django.utils.encoding import iri_to_uri
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.demo import MATERIALS, build_demo_materials
from cms.materials import filter_listing
from cms.models import (
    HomePage,
    MaterialDocument,
    MaterialIndexPage,
    MaterialKind,
    MaterialPage,
    MaterialTopic,
    PlanItem,
    StandardPage,
)
from cms.models.materials import DEFAULT_ISSUING_BODY
from cms.plan_loading import BUNDLED_PLAN_2024, load_plan, read_plan_json
from people.factories import make_person

ATOM = "{http://www.w3.org/2005/Atom}"


# --- helpers -----------------------------------------------------------------------------------


def make_library(title="Материалы", slug="materials"):
    home = HomePage.objects.get()
    return home.add_child(instance=MaterialIndexPage(title=title, slug=slug))


def make_material(
    library, title, *, kind=MaterialKind.INFORMATION_LETTER, date=None, topics=(), live=True, **fields
):
    page = MaterialPage(
        title=title,
        kind=kind,
        date=date or datetime.date(2024, 3, 1),
        live=live,
        **fields,
    )
    library.add_child(instance=page)
    if topics:
        page.topics.set(topics)
        page.save()
    return page


def make_private(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def titles(materials):
    return [material.title for material in materials]


@pytest.fixture
def library(db):
    return make_library()


@pytest.fixture
def topics(db):
    return {
        "gifts": MaterialTopic.objects.create(name="Подарки"),
        "income": MaterialTopic.objects.create(name="Сведения о доходах"),
    }


@pytest.fixture
def shelf(library, topics):
    """Five visible materials of different kinds, topics and years, plus a draft and a private one."""
    make_material(
        library,
        "Памятка о подарках",
        kind=MaterialKind.OTHER,
        date=datetime.date(2024, 12, 2),
        topics=[topics["gifts"]],
        summary="Как сообщить о получении подарка.",
    )
    make_material(
        library,
        "Рекомендации по справкам о доходах",
        kind=MaterialKind.METHODOLOGICAL,
        date=datetime.date(2017, 3, 20),
        topics=[topics["income"]],
        summary="Заполнение справки.",
    )
    make_material(
        library,
        "Рекомендации о комиссиях",
        kind=MaterialKind.METHODOLOGICAL,
        date=datetime.date(2018, 9, 14),
        summary="Заседания комиссии по урегулированию конфликта интересов.",
    )
    make_material(
        library,
        "Обзор судебной практики",
        kind=MaterialKind.COURT_PRACTICE,
        date=datetime.date(2018, 5, 21),
        topics=[topics["income"]],
        body=[{"type": "paragraph", "value": "<p>Суды проверяют сроки применения взысканий.</p>"}],
    )
    make_material(
        library,
        "Письмо о тестировании",
        kind=MaterialKind.INFORMATION_LETTER,
        date=datetime.date(2017, 4, 10),
        number="№ 12-01/52",
    )
    make_material(
        library,
        "Черновик о подарках",
        kind=MaterialKind.OTHER,
        date=datetime.date(2025, 1, 1),
        topics=[topics["gifts"]],
        live=False,
    )
    private = make_material(
        library,
        "Закрытое письмо о подарках",
        kind=MaterialKind.OTHER,
        date=datetime.date(2025, 2, 1),
        topics=[topics["gifts"]],
    )
    make_private(private)
    return library


VISIBLE_NEWEST_FIRST = [
    "Памятка о подарках",
    "Рекомендации о комиссиях",
    "Обзор судебной практики",
    "Письмо о тестировании",
    "Рекомендации по справкам о доходах",
]


def listing_titles(client, library, query=""):
    response = client.get(library.url + query)
    assert response.status_code == 200
    return titles(response.context["materials"])


# --- page tree ---------------------------------------------------------------------------------


class MaterialPageTreeTests(WagtailPageTestCase):
    def test_library_lives_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(MaterialIndexPage, {HomePage})
        self.assertCanCreateAt(HomePage, MaterialIndexPage)
        self.assertCanNotCreateAt(StandardPage, MaterialIndexPage)
        self.assertCanNotCreateAt(Page, MaterialIndexPage)

    def test_materials_live_in_the_library_only(self):
        self.assertAllowedSubpageTypes(MaterialIndexPage, {MaterialPage})
        self.assertAllowedParentPageTypes(MaterialPage, {MaterialIndexPage})
        self.assertAllowedSubpageTypes(MaterialPage, set())
        self.assertCanNotCreateAt(HomePage, MaterialPage)
        self.assertCanNotCreateAt(MaterialIndexPage, StandardPage)

    def test_an_editor_creates_a_material_in_the_admin(self):
        self.login()
        library = make_library()
        topic = MaterialTopic.objects.create(name="Подарки")
        with tempfile.TemporaryDirectory() as media, self.settings(MEDIA_ROOT=media):
            sample = get_document_model().objects.create(
                title="Образец уведомления", file=ContentFile(b"%PDF-1.4", name="obrazec.pdf")
            )
            data = nested_form_data(
                {
                    "title": "Памятка о порядке сообщения о получении подарка",
                    "slug": "pamyatka-podarki",
                    "kind": MaterialKind.OTHER,
                    "date": "2024-12-02",
                    "number": "№ 12-01/123",
                    "issuing_body": DEFAULT_ISSUING_BODY,
                    "summary": "Когда подарок можно принять.",
                    "body": streamfield(
                        [
                            ("paragraph", rich_text("<p>Сообщить о подарке нужно письменно.</p>")),
                            (
                                "quote",
                                {"text": "Не допускается дарение…", "source": "ГК РФ, ст. 575", "url": ""},
                            ),
                        ]
                    ),
                    "documents": inline_formset([{"document": sample.pk, "title": ""}]),
                }
            )
            data["topics"] = [topic.pk]  # a multiple choice: one key, several values
            self.assertCanCreate(library, MaterialPage, data)

        material = MaterialPage.objects.get(slug="pamyatka-podarki")
        assert material.live
        assert material.get_parent().pk == library.pk
        assert material.requisites == "Иное от 02.12.2024 № 12-01/123"
        assert [child.block_type for child in material.body] == ["paragraph", "quote"]
        assert list(material.topics.all()) == [topic]
        assert [attachment.display_title for attachment in material.documents.all()] == [
            "Образец уведомления"
        ]

    def test_one_library_per_site(self):
        home = HomePage.objects.get()
        assert MaterialIndexPage.can_create_at(home)
        make_library()
        assert not MaterialIndexPage.can_create_at(home)


# --- listing -----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestListing:
    def test_lists_only_live_public_materials_newest_first(self, client, shelf):
        assert listing_titles(client, shelf) == VISIBLE_NEWEST_FIRST

    def test_lists_only_this_librarys_children(self, client, shelf):
        other_parent = HomePage.objects.get().add_child(instance=StandardPage(title="Раздел", slug="section"))
        stray = MaterialPage(title="Чужой материал", kind=MaterialKind.OTHER, date=datetime.date(2030, 1, 1))
        other_parent.add_child(instance=stray)  # the page rules forbid this in the admin, not in code
        assert "Чужой материал" not in listing_titles(client, shelf)

    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            (MaterialKind.METHODOLOGICAL, ["Рекомендации о комиссиях", "Рекомендации по справкам о доходах"]),
            (MaterialKind.COURT_PRACTICE, ["Обзор судебной практики"]),
            (MaterialKind.OTHER, ["Памятка о подарках"]),
            (MaterialKind.LEGISLATION_REVIEW, []),
        ],
    )
    def test_filter_by_kind(self, client, shelf, kind, expected):
        assert listing_titles(client, shelf, f"?kind={kind}") == expected

    def test_filter_by_topic(self, client, shelf, topics):
        assert listing_titles(client, shelf, f"?topic={topics['income'].slug}") == [
            "Обзор судебной практики",
            "Рекомендации по справкам о доходах",
        ]
        # the draft and the private material share the topic but stay hidden
        assert listing_titles(client, shelf, f"?topic={topics['gifts'].slug}") == ["Памятка о подарках"]

    def test_filter_by_year(self, client, shelf):
        assert listing_titles(client, shelf, "?year=2018") == [
            "Рекомендации о комиссиях",
            "Обзор судебной практики",
        ]
        assert listing_titles(client, shelf, "?year=2017") == [
            "Письмо о тестировании",
            "Рекомендации по справкам о доходах",
        ]

    def test_year_choices_are_the_years_with_visible_materials(self, client, shelf):
        response = client.get(shelf.url)
        years = [value for value, _label in response.context["listing"].form.fields["year"].choices if value]
        assert years == [2024, 2018, 2017]

    def test_text_search_in_title_summary_body_and_number(self, client, shelf):
        assert listing_titles(client, shelf, "?q=комиссии") == ["Рекомендации о комиссиях"]
        assert listing_titles(client, shelf, "?q=справки") == ["Рекомендации по справкам о доходах"]
        assert listing_titles(client, shelf, "?q=взысканий") == ["Обзор судебной практики"]
        assert listing_titles(client, shelf, "?q=ПОДАРКА") == ["Памятка о подарках"]

    def test_search_never_finds_drafts_or_private_materials(self, client, shelf):
        assert listing_titles(client, shelf, "?q=подарках") == ["Памятка о подарках"]

    def test_filters_combine(self, client, shelf, topics):
        query = f"?kind=methodological&year=2017&topic={topics['income'].slug}"
        assert listing_titles(client, shelf, query) == ["Рекомендации по справкам о доходах"]
        assert listing_titles(client, shelf, "?kind=methodological&q=комиссии") == [
            "Рекомендации о комиссиях"
        ]
        assert listing_titles(client, shelf, "?kind=court_practice&q=комиссии") == []

    def test_malformed_filters_are_ignored(self, client, shelf):
        assert (
            listing_titles(client, shelf, "?kind=bribes&year=twenty&topic=nope&page=x")
            == VISIBLE_NEWEST_FIRST
        )

    def test_filter_listing_without_a_request(self, shelf):
        listing = filter_listing(QueryDict("kind=court_practice"))
        assert titles(listing.results) == ["Обзор судебной практики"]
        assert listing.querystring == "kind=court_practice"

    def test_the_form_shows_the_chosen_filters(self, client, shelf):
        html = client.get(shelf.url + "?kind=court_practice&q=суды").content.decode()
        assert '<option value="court_practice" selected>' in html
        assert 'value="суды"' in html

    def test_feeds_are_announced_in_the_head(self, client, shelf):
        html = client.get(shelf.url).content.decode()
        head = html[: html.index("</head>")]
        assert f'type="application/rss+xml" title="Материалы: RSS" href="{shelf.url}rss/"' in head
        assert f'type="application/atom+xml" title="Материалы: Atom" href="{shelf.url}atom/"' in head

    def test_a_private_library_asks_anonymous_visitors_to_log_in(self, client, shelf):
        make_private(shelf)
        assert client.get(shelf.url).status_code == 302
        assert client.get(shelf.url + "rss/").status_code == 302


@pytest.mark.django_db
class TestPagination:
    @pytest.fixture
    def crowded(self, library):
        for day in range(1, 24):
            kind = MaterialKind.COURT_PRACTICE if day % 2 else MaterialKind.OTHER
            make_material(library, f"Материал {day:02d}", kind=kind, date=datetime.date(2024, 1, day))
        return library

    def test_twenty_per_page(self, client, crowded):
        first = client.get(crowded.url).context["materials"]
        second = client.get(crowded.url + "?page=2").context["materials"]
        assert titles(first) == [f"Материал {day:02d}" for day in range(23, 3, -1)]
        assert titles(second) == ["Материал 03", "Материал 02", "Материал 01"]
        assert (first.paginator.count, first.paginator.num_pages) == (23, 2)

    def test_search_results_are_paginated_too(self, client, crowded):
        second = client.get(crowded.url + "?q=Материал&page=2").context["materials"]
        assert second.paginator.count == 23
        assert titles(second) == ["Материал 03", "Материал 02", "Материал 01"]

    def test_out_of_range_page_gives_the_last_one(self, client, crowded):
        assert client.get(crowded.url + "?page=99").context["materials"].number == 2

    def test_page_links_keep_the_filters(self, client, crowded):
        first = client.get(crowded.url + "?q=&year=2024").content.decode()
        assert 'href="?year=2024&amp;page=2" rel="next"' in first  # the empty search is dropped
        second = client.get(crowded.url + "?year=2024&page=2").content.decode()
        assert 'href="?year=2024&amp;page=1" rel="prev"' in second
        assert 'rel="next"' not in second
        assert client.get(crowded.url + "?kind=court_practice").context["materials"].paginator.num_pages == 1


# --- feeds -------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestFeeds:
    def test_rss_is_valid_and_lists_visible_materials_newest_first(self, client, shelf):
        response = client.get(shelf.url + "rss/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/rss+xml")
        channel = ET.fromstring(response.content).find("channel")
        assert channel.findtext("title") == "Материалы"
        items = channel.findall("item")
        assert [item.findtext("title") for item in items] == VISIBLE_NEWEST_FIRST
        first = items[0]
        newest = MaterialPage.objects.get(title="Памятка о подарках")
        assert first.findtext("link") == iri_to_uri(f"http://testserver{newest.url}")
        assert first.findtext("description") == "Как сообщить о получении подарка."
        assert first.findtext("pubDate").startswith("Mon, 02 Dec 2024")
        assert [category.text for category in first.findall("category")] == ["Иное", "Подарки"]

    def test_atom_is_valid_and_lists_visible_materials_newest_first(self, client, shelf):
        response = client.get(shelf.url + "atom/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)
        assert feed.tag == f"{ATOM}feed"
        entries = feed.findall(f"{ATOM}entry")
        assert [entry.findtext(f"{ATOM}title") for entry in entries] == VISIBLE_NEWEST_FIRST
        assert entries[0].findtext(f"{ATOM}published").startswith("2024-12-02")
        assert all(entry.findtext(f"{ATOM}updated") for entry in entries)  # required by Atom

    def test_feeds_hold_the_latest_fifty(self, client, library):
        for number in range(52):
            make_material(
                library,
                f"Письмо {number:02d}",
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
            )
        items = ET.fromstring(client.get(library.url + "rss/").content).find("channel").findall("item")
        assert [item.findtext("title") for item in items] == [f"Письмо {n:02d}" for n in range(51, 1, -1)]


# --- the material page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_material_page_shows_requisites_topics_plan_items_and_documents(
    client, library, topics, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    load_plan(read_plan_json(BUNDLED_PLAN_2024))
    item = PlanItem.objects.get(section__plan__year=2024, number="5.5")
    document = get_document_model().objects.create(
        title="Форма уведомления", file=ContentFile(b"%PDF-1.4 test", name="forma.pdf")
    )
    page = make_material(
        library,
        "Памятка о подарках",
        kind=MaterialKind.OTHER,
        date=datetime.date(2024, 12, 2),
        number="№ 12-01/123",
        topics=[topics["gifts"]],
    )
    page.plan_items.set([item])
    page.documents.add(MaterialDocument(document=document, title="Образец уведомления"))
    page.save()

    html = client.get(page.url).content.decode()
    assert page.requisites == "Иное от 02.12.2024 № 12-01/123"
    assert "Администрация Губернатора Калужской области" in html
    assert '<time datetime="2024-12-02">' in html
    assert f'<a href="{library.url}?topic={quote(topics["gifts"].slug)}">Подарки</a>' in html
    assert "5.5 Размещение информационно-разъяснительных материалов" in html
    assert f'<a href="{document.url}">Образец уведомления</a>' in html
    assert list(item.materials.all()) == [page]


@pytest.mark.django_db
def test_draft_material_is_not_served(client, library):
    draft = make_material(library, "Черновик", live=False)
    assert client.get(draft.url).status_code == 404


# --- admin -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_add_material_form_renders(client, library, topics):
    load_plan(read_plan_json(BUNDLED_PLAN_2024))
    admin = make_person(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(f"/admin/pages/add/cms/materialpage/{library.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("kind", "date", "number", "issuing_body", "summary", "topics", "plan_items"):
        assert f'name="{field}"' in html
    assert 'name="documents-TOTAL_FORMS"' in html
    assert "Администрация Губернатора Калужской области" in html  # the default issuing body


@pytest.mark.django_db
def test_topics_are_snippets_with_slugs(client, topics):
    assert topics["income"].slug == "сведения-о-доходах"
    admin = make_person(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/snippets/cms/materialtopic/")
    assert response.status_code == 200
    assert "Сведения о доходах" in response.content.decode()


# --- demo --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_materials_are_built_once(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_plan(read_plan_json(BUNDLED_PLAN_2024))
    out = io.StringIO()
    build_demo_materials(out, {})
    library = MaterialIndexPage.objects.get()
    assert library.get_parent().specific_class is HomePage
    materials = MaterialPage.objects.child_of(library).live()
    assert materials.count() == len(MATERIALS)
    # every kind but the FAQ answers, which the consultations' demo publishes (events.consultations.demo)
    assert set(materials.values_list("kind", flat=True)) == set(MaterialKind.values) - {MaterialKind.FAQ}
    assert all(material.plan_items.exists() for material in materials)
    assert MaterialDocument.objects.count() == sum("document" in material for material in MATERIALS)

    build_demo_materials(out, {})
    assert MaterialPage.objects.count() == len(MATERIALS)
    assert "пропускаю" in out.getvalue()

    response = client.get(library.url)
    assert response.status_code == 200
    assert len(response.context["materials"]) == len(MATERIALS)
    for material in materials:
        assert client.get(material.url).status_code == 200
