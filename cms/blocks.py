"""StreamField blocks shared by the site's pages, lesson pages and event materials.

Every block carries its icon, template and Russian label in ``Meta`` (as in bakerydemo); the templates
live in ``cms/templates/cms/blocks/``. :class:`BaseStreamBlock` combines them for ``body`` fields;
other apps extend it with their own blocks (``class LessonStreamBlock(BaseStreamBlock): quiz = ...``).

Government networks are often closed to the outside world, so nothing here fetches anything while a
page is rendered: an embed is shown from Wagtail's embed cache if it was fetched when the page was
saved, and as a plain link card otherwise; videos are local document files played by ``<video>``.
"""

import contextlib
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds import embeds
from wagtail.embeds.blocks import EmbedBlock
from wagtail.embeds.exceptions import EmbedException
from wagtail.embeds.models import Embed
from wagtail.images.blocks import ImageChooserBlock

# Rich text features: no images or embeds inside text (they have their own blocks), no raw headings
# (the heading block keeps the outline in order).
PARAGRAPH_FEATURES = ["bold", "italic", "superscript", "subscript", "ol", "ul", "link", "document-link"]
CALLOUT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]

# File extension → MIME type of the videos a browser plays natively.
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}


class HeadingBlock(blocks.StructBlock):
    class Level(models.TextChoices):
        H2 = "h2", _("Заголовок раздела")
        H3 = "h3", _("Подзаголовок")
        H4 = "h4", _("Заголовок третьего уровня")

    text = blocks.CharBlock(label=_("Текст заголовка"), max_length=255)
    level = blocks.ChoiceBlock(label=_("Уровень"), choices=Level.choices, default=Level.H2)

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"
        label = _("Заголовок")


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, features=None, **kwargs):
        super().__init__(features=features or PARAGRAPH_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "cms/blocks/paragraph.html"
        label = _("Текст")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Изображение"))
    alt_text = blocks.CharBlock(
        label=_("Альтернативный текст"),
        required=False,
        max_length=255,
        help_text=_(
            "Что изображено, для тех, кто не видит картинку. Если пусто, берётся описание изображения."
        ),
    )
    caption = blocks.CharBlock(label=_("Подпись"), required=False, max_length=255)

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"
        label = _("Изображение с подписью")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Документ"))
    title = blocks.CharBlock(
        label=_("Название ссылки"),
        required=False,
        max_length=255,
        help_text=_("Если пусто, показывается название документа."),
    )

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/document.html"
        label = _("Документ")


def video_type(document):
    """The MIME type of a video document, or None if browsers cannot play the file."""
    return VIDEO_TYPES.get(PurePosixPath(document.file.name).suffix.lower().lstrip("."))


class VideoFileChooserBlock(DocumentChooserBlock):
    """A document chooser that accepts only MP4 and WebM files (played by the browser itself)."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None and video_type(value) is None:
            raise ValidationError(
                _("Выберите видеофайл в формате %(formats)s.") % {"formats": ", ".join(VIDEO_TYPES).upper()}
            )
        return value


class VideoBlock(blocks.StructBlock):
    video = VideoFileChooserBlock(
        label=_("Видеофайл"), help_text=_("Загрузите файл MP4 или WebM как документ и выберите его здесь.")
    )
    title = blocks.CharBlock(label=_("Название"), required=False, max_length=255)
    poster = ImageChooserBlock(label=_("Заставка"), required=False)
    transcript = blocks.TextBlock(
        label=_("Текстовая расшифровка"),
        required=False,
        help_text=_("Для тех, кто не может прослушать запись."),
    )

    class Meta:
        icon = "media"
        template = "cms/blocks/video.html"
        label = _("Видео (файл)")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["video_type"] = video_type(value["video"]) if value["video"] else None
        return context


# Shapes of embedded players as CSS classes (``responsive-object--16x9`` … in static/css/site.css): the
# Content-Security-Policy refuses a style attribute, so the nearest of these stands for Wagtail's inline
# ``padding-bottom`` (height / width).
EMBED_RATIOS = {"21x9": 9 / 21, "16x9": 9 / 16, "3x2": 2 / 3, "4x3": 3 / 4, "1x1": 1.0, "9x16": 16 / 9}


def embed_ratio_name(embed):
    """The name of the ratio in EMBED_RATIOS nearest to a responsive embed's, or None."""
    if embed is None or not embed.is_responsive:
        return None
    return min(EMBED_RATIOS, key=lambda name: abs(EMBED_RATIOS[name] - embed.ratio))


def cached_embed(value):
    """The embed fetched earlier for ``value`` (an EmbedValue), from the database only, or None."""
    hash_ = embeds.get_embed_hash(value.url, value.max_width, value.max_height)
    return Embed.objects.filter(hash=hash_).exclude(html="").first()


class ExternalMediaBlock(EmbedBlock):
    """An embed that never fetches while rendering and falls back to a link card.

    The provider is asked once, when the page is saved; if the network is closed the URL is still
    accepted and shown as a link.
    """

    class Meta:
        icon = "media"
        template = "cms/blocks/embed.html"
        label = _("Внешнее видео или публикация")
        help_text = _(
            "Ссылка на видео или публикацию на внешнем сайте. Если сайт недоступен из сети, "
            "на странице будет показана ссылка."
        )

    def clean(self, value):
        # Skip EmbedBlock.clean, which refuses a URL it cannot fetch; try to fill the cache instead.
        value = super(EmbedBlock, self).clean(value)
        if value is not None:
            with contextlib.suppress(EmbedException):
                embeds.get_embed(value.url, value.max_width, value.max_height)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["embed"] = cached_embed(value) if value else None
        context["embed_ratio"] = embed_ratio_name(context["embed"])
        return context


class CalloutBlock(blocks.StructBlock):
    class Kind(models.TextChoices):
        INFO = "info", _("Справка")
        WARNING = "warning", _("Обратите внимание")
        IMPORTANT = "important", _("Важно")

    kind = blocks.ChoiceBlock(label=_("Вид"), choices=Kind.choices, default=Kind.INFO)
    text = blocks.RichTextBlock(label=_("Текст"), features=CALLOUT_FEATURES)

    class Meta:
        icon = "warning"
        template = "cms/blocks/callout.html"
        label = _("Выноска")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["kind_label"] = dict(self.Kind.choices).get(value["kind"], "")
        return context


class LegalQuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Текст нормы или цитаты"))
    source = blocks.CharBlock(label=_("Источник"), max_length=255, help_text=_("Например: 273-ФЗ, ст. 12.1"))
    url = blocks.URLBlock(label=_("Ссылка на текст документа"), required=False)

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote.html"
        label = _("Цитата из нормативного акта")


class DataTableBlock(TableBlock):
    """Wagtail's table (its editor, Handsontable, ships with Wagtail: no CDN), scrollable on phones."""

    class Meta:
        icon = "table"
        template = "cms/blocks/table.html"
        label = _("Таблица")


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    document = DocumentBlock()
    video = VideoBlock()
    embed = ExternalMediaBlock()
    callout = CalloutBlock()
    quote = LegalQuoteBlock()
    table = DataTableBlock()
