"""Shared StreamField blocks: every block renders on a real page, embeds never fetch while rendering,
video accepts only MP4/WebM, and StandardPage's rich-text body migrates into a paragraph block."""

import importlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template.loader import get_template
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders import get_finders
from wagtail.embeds.finders.base import EmbedFinder
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from cms.blocks import BaseStreamBlock, ExternalMediaBlock, VideoFileChooserBlock
from cms.models import HomePage, StandardPage

VIDEO_URL = "https://video.example/watch?v=seminar-2017"
TRANSCRIPT = "Добрый день, коллеги."
BLOCK_NAMES = ["heading", "paragraph", "image", "document", "video", "embed", "callout", "quote", "table"]

body_migration = importlib.import_module("cms.migrations.0003_standardpage_body_stream")


# --- embed finders that never touch the network ------------------------------------------------

FINDER_CALLS = []


class UnreachableFinder(EmbedFinder):
    """Behaves like oEmbed in a closed network: every request fails."""

    def accept(self, url):
        return True

    def find_embed(self, url, max_width=None, max_height=None):
        FINDER_CALLS.append(url)
        raise EmbedNotFoundException("network is unreachable")


class ReachableFinder(EmbedFinder):
    def accept(self, url):
        return True

    def find_embed(self, url, max_width=None, max_height=None):
        FINDER_CALLS.append(url)
        return {
            "title": "Семинар 7 декабря 2017 года",
            "author_name": "",
            "provider_name": "Видеохостинг",
            "type": "video",
            "thumbnail_url": "",
            "width": 640,
            "height": 360,
            "html": '<iframe title="Семинар" src="https://video.example/embed/seminar-2017"></iframe>',
        }


def use_finder(settings, finder_class):
    settings.WAGTAILEMBEDS_FINDERS = [{"class": f"{__name__}.{finder_class.__name__}"}]
    get_finders.cache_clear()


@pytest.fixture(autouse=True)
def offline_embeds(settings):
    """Every test starts with an unreachable provider and an empty call log."""
    FINDER_CALLS.clear()
    use_finder(settings, UnreachableFinder)
    yield
    get_finders.cache_clear()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def make_document(title, filename, content=b"data"):
    return get_document_model().objects.create(title=title, file=ContentFile(content, name=filename))


def make_page(body, title="Текстовая страница", slug="text"):
    home = HomePage.objects.get()
    return home.add_child(instance=StandardPage(title=title, slug=slug, body=body))


def block(type_, value):
    return {"type": type_, "value": value}


# --- the block set -----------------------------------------------------------------------------


def test_the_stream_offers_the_shared_blocks_each_with_icon_label_and_template():
    stream = BaseStreamBlock()
    assert list(stream.child_blocks) == BLOCK_NAMES
    for name, child in stream.child_blocks.items():
        assert child.meta.icon and child.meta.icon != "placeholder", name
        assert child.label and child.label != name.title(), name
        assert child.meta.template.startswith("cms/blocks/"), name
        get_template(child.meta.template)  # raises if missing


def test_rich_text_features_are_restricted():
    features = BaseStreamBlock().child_blocks["paragraph"].features
    assert "bold" in features
    assert "link" in features
    assert not {"image", "embed", "h1", "h2", "code"} & set(features)


# --- rendering every block ---------------------------------------------------------------------


@pytest.mark.django_db
def test_every_block_renders_on_a_standard_page(client, media):
    picture = get_image_model().objects.create(
        title="Схема", description="Схема взаимодействия", file=get_test_image_file()
    )
    letter = make_document("Информационное письмо", "pismo.pdf", b"%PDF-1.4 letter")
    video = make_document("Запись семинара", "seminar.mp4", b"\x00\x00\x00\x18ftypmp42")
    page = make_page(
        [
            block("heading", {"text": "Порядок представления сведений", "level": "h3"}),
            block("paragraph", "<p>Сведения представляются <b>ежегодно</b>.</p>"),
            block("image", {"image": picture.pk, "alt_text": "", "caption": "Схема взаимодействия сторон"}),
            block("document", {"document": letter.pk, "title": "Текст письма"}),
            block(
                "video",
                {
                    "video": video.pk,
                    "title": "Семинар",
                    "poster": None,
                    "transcript": "Добрый день, коллеги.",
                },
            ),
            block("embed", VIDEO_URL),
            block("callout", {"kind": "important", "text": "<p>Срок — до 30 апреля.</p>"}),
            block("quote", {"text": "Сведения о своих доходах…", "source": "273-ФЗ, ст. 8", "url": ""}),
            block(
                "table",
                {
                    "data": [["Кто", "Срок"], ["Служащий", "до 30 апреля"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Сроки",
                },
            ),
        ]
    )

    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()

    assert "<h3>Порядок представления сведений</h3>" in html
    assert "<p>Сведения представляются <b>ежегодно</b>.</p>" in html
    assert 'alt="Схема взаимодействия"' in html  # the image's description when no alt text is given
    assert "<figcaption>Схема взаимодействия сторон</figcaption>" in html
    assert f'<a href="{letter.url}">Текст письма</a>' in html
    assert "<video controls" in html
    assert f'<source src="{video.url}" type="video/mp4">' in html
    assert TRANSCRIPT in html
    assert f'<a href="{VIDEO_URL}" rel="noopener">{VIDEO_URL}</a>' in html  # link card, nothing cached
    assert 'class="callout callout--important"' in html
    assert "<strong>Важно</strong>" in html
    assert "<blockquote><p>Сведения о своих доходах…</p></blockquote>" in html
    assert "<cite>273-ФЗ, ст. 8</cite>" in html
    assert '<div class="table-wrap block-table">' in html
    assert "<caption>Сроки</caption>" in html
    assert "до 30 апреля" in html
    assert FINDER_CALLS == []  # rendering never asks the provider


@pytest.mark.django_db
def test_heading_levels():
    for level in ("h2", "h3", "h4"):
        rendered = BaseStreamBlock().child_blocks["heading"].render({"text": "Раздел", "level": level})
        assert rendered.strip() == f"<{level}>Раздел</{level}>"


# --- embeds ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_embed_shows_the_cached_html_without_fetching():
    Embed.objects.create(
        url=VIDEO_URL,
        hash=embeds.get_embed_hash(VIDEO_URL),
        type="video",
        html='<iframe title="Семинар" src="https://video.example/embed/1"></iframe>',
        title="Семинар",
        provider_name="Видеохостинг",
        last_updated=timezone.now(),
    )
    embed_block = ExternalMediaBlock()
    html = embed_block.render(embed_block.to_python(VIDEO_URL))
    assert '<iframe title="Семинар" src="https://video.example/embed/1"></iframe>' in html
    assert "(Видеохостинг)" in html
    assert FINDER_CALLS == []


@pytest.mark.django_db
def test_embed_of_an_unreachable_site_is_accepted_and_shown_as_a_link():
    embed_block = ExternalMediaBlock()
    value = embed_block.clean(embed_block.to_python(VIDEO_URL))  # EmbedBlock would refuse it
    assert value.url == VIDEO_URL
    assert FINDER_CALLS == [VIDEO_URL]  # asked once, when saving
    html = embed_block.render(value)
    assert "<iframe" not in html
    assert f'<a href="{VIDEO_URL}" rel="noopener">{VIDEO_URL}</a>' in html
    assert FINDER_CALLS == [VIDEO_URL]


@pytest.mark.django_db
def test_embed_fetched_when_saving_is_rendered_from_the_cache(settings):
    use_finder(settings, ReachableFinder)
    embed_block = ExternalMediaBlock()
    embed_block.clean(embed_block.to_python(VIDEO_URL))
    assert Embed.objects.filter(url=VIDEO_URL).count() == 1

    use_finder(settings, UnreachableFinder)
    html = embed_block.render(embed_block.to_python(VIDEO_URL))
    assert 'src="https://video.example/embed/seminar-2017"' in html
    assert "Семинар 7 декабря 2017 года" in html
    assert FINDER_CALLS == [VIDEO_URL]


# --- video files -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("filename", ["lecture.mp4", "lecture.webm", "LECTURE.MP4"])
def test_video_block_accepts_mp4_and_webm(media, filename):
    video = make_document("Лекция", filename)
    assert VideoFileChooserBlock().clean(video) == video


@pytest.mark.django_db
@pytest.mark.parametrize("filename", ["lecture.pdf", "lecture.docx", "lecture.avi.txt"])
def test_video_block_refuses_other_files(media, filename):
    document = make_document("Лекция", filename)
    with pytest.raises(ValidationError, match="MP4, WEBM"):
        VideoFileChooserBlock().clean(document)


# --- StandardPage body: rich text → stream -----------------------------------------------------


def test_rich_text_becomes_one_paragraph_block():
    stream = body_migration.html_to_stream("<p>Текст</p>")
    assert [(item["type"], item["value"]) for item in stream] == [("paragraph", "<p>Текст</p>")]
    assert body_migration.html_to_stream("  ") == []
    assert body_migration.html_to_stream(None) == []


def test_stream_goes_back_to_rich_text():
    stream = [
        {"type": "heading", "value": {"text": "Раздел", "level": "h3"}},
        {"type": "paragraph", "value": "<p>Текст</p>"},
        {"type": "callout", "value": {"kind": "info", "text": "<p>Справка</p>"}},
    ]
    assert body_migration.stream_to_html(stream) == "<h3>Раздел</h3><p>Текст</p>"


@pytest.mark.django_db
def test_standard_page_renders_a_stream_body(client):
    page = make_page([block("paragraph", "<p>О взаимодействии с органами местного самоуправления</p>")])
    html = client.get(page.url).content.decode()
    assert "<p>О взаимодействии с органами местного самоуправления</p>" in html


BEFORE = [("cms", "0002_create_homepage")]
AFTER = [("cms", "0003_standardpage_body_stream")]
OLD_HTML = "<h2>Соглашения</h2><p>Подписаны в феврале 2017 года.</p>"


def _add_old_standard_page(apps):
    """A StandardPage with a rich-text body and one revision, through the models of migration 0002."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Revision = apps.get_model("wagtailcore.Revision")
    OldStandardPage = apps.get_model("cms.StandardPage")
    home = Page.objects.get(depth=2)
    page_type, _ = ContentType.objects.get_or_create(app_label="cms", model="standardpage")
    base_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    page = OldStandardPage.objects.create(
        title="О взаимодействии",
        draft_title="О взаимодействии",
        slug="o-vzaimodejstvii",
        content_type=page_type,
        path=f"{home.path}9999",
        depth=3,
        numchild=0,
        url_path=f"{home.url_path}o-vzaimodejstvii/",
        live=True,
        locale_id=home.locale_id,
        body=OLD_HTML,
    )
    Revision.objects.create(
        content_type=page_type,
        base_content_type=base_type,
        object_id=str(page.pk),
        created_at=timezone.now(),
        content={"pk": page.pk, "title": page.title, "body": OLD_HTML},
    )
    return page.pk


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_rich_text_and_revisions_as_paragraphs():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        pk = _add_old_standard_page(executor.loader.project_state(BEFORE).apps)

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        page = apps.get_model("cms.StandardPage").objects.get(pk=pk)
        assert [(item["type"], item["value"]) for item in page.body.raw_data] == [("paragraph", OLD_HTML)]
        revision = apps.get_model("wagtailcore.Revision").objects.get(object_id=str(pk))
        stored = json.loads(revision.content["body"])
        assert [(item["type"], item["value"]) for item in stored] == [("paragraph", OLD_HTML)]

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        assert apps.get_model("cms.StandardPage").objects.get(pk=pk).body == OLD_HTML
        revision = apps.get_model("wagtailcore.Revision").objects.get(object_id=str(pk))
        assert revision.content["body"] == OLD_HTML
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
