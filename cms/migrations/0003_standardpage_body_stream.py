"""StandardPage.body: rich text becomes a StreamField of shared blocks; old text is kept as a paragraph.

The column changes type (text → JSON on PostgreSQL), which an in-place AlterField cannot do with HTML in
it, so the stream goes into a new column, the text is copied over, and the new column takes the old name.
Saved revisions are converted too, so that history and drafts keep their text.
"""

import json
import uuid

import wagtail.fields
from django.db import migrations


def html_to_stream(html):
    """The stream data for a former rich-text body: one paragraph block, or nothing for an empty body."""
    if not html or not html.strip():
        return []
    return [{"type": "paragraph", "value": html, "id": str(uuid.uuid4())}]


def stream_to_html(stream):
    """Back to rich text: paragraphs as they are, headings as <h2>…<h4>; other blocks are dropped."""
    parts = []
    for block in stream or []:
        if block["type"] == "paragraph":
            parts.append(block["value"])
        elif block["type"] == "heading":
            level = block["value"].get("level") or "h2"
            parts.append(f"<{level}>{block['value'].get('text', '')}</{level}>")
    return "".join(parts)


def _standard_page_revisions(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    Revision = apps.get_model("wagtailcore.Revision")
    content_type = ContentType.objects.filter(app_label="cms", model="standardpage").first()
    if content_type is None:
        return Revision.objects.none()
    return Revision.objects.filter(content_type_id=content_type.pk)


def _is_stream(text):
    try:
        return isinstance(json.loads(text), list)
    except (TypeError, ValueError):
        return False


def forwards(apps, schema_editor):
    StandardPage = apps.get_model("cms", "StandardPage")
    for page in StandardPage.objects.only("pk", "body"):
        page.body_stream = html_to_stream(page.body)
        page.save(update_fields=["body_stream"])
    # Revisions keep a StreamField as a JSON string (see StreamField.value_to_string).
    for revision in _standard_page_revisions(apps).iterator():
        body = revision.content.get("body")
        if isinstance(body, str) and not _is_stream(body):
            revision.content["body"] = json.dumps(html_to_stream(body))
            revision.save(update_fields=["content"])


def backwards(apps, schema_editor):
    StandardPage = apps.get_model("cms", "StandardPage")
    for page in StandardPage.objects.only("pk", "body_stream"):
        page.body = stream_to_html(page.body_stream.raw_data)
        page.save(update_fields=["body"])
    for revision in _standard_page_revisions(apps).iterator():
        body = revision.content.get("body")
        if isinstance(body, str) and _is_stream(body):
            revision.content["body"] = stream_to_html(json.loads(body))
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_create_homepage"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="standardpage",
            name="body_stream",
            field=wagtail.fields.StreamField(
                [
                    ("heading", 2),
                    ("paragraph", 3),
                    ("image", 7),
                    ("document", 10),
                    ("video", 15),
                    ("embed", 16),
                    ("callout", 19),
                    ("quote", 23),
                    ("table", 24),
                ],
                blank=True,
                block_lookup={
                    0: ("wagtail.blocks.CharBlock", (), {"label": "Текст заголовка", "max_length": 255}),
                    1: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("h2", "Заголовок раздела"),
                                ("h3", "Подзаголовок"),
                                ("h4", "Заголовок третьего уровня"),
                            ],
                            "label": "Уровень",
                        },
                    ),
                    2: ("wagtail.blocks.StructBlock", [[("text", 0), ("level", 1)]], {}),
                    3: ("cms.blocks.ParagraphBlock", (), {}),
                    4: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "Изображение"}),
                    5: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Что изображено, для тех, кто не видит картинку. Если пусто, берётся описание изображения.",
                            "label": "Альтернативный текст",
                            "max_length": 255,
                            "required": False,
                        },
                    ),
                    6: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "Подпись", "max_length": 255, "required": False},
                    ),
                    7: ("wagtail.blocks.StructBlock", [[("image", 4), ("alt_text", 5), ("caption", 6)]], {}),
                    8: ("wagtail.documents.blocks.DocumentChooserBlock", (), {"label": "Документ"}),
                    9: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Если пусто, показывается название документа.",
                            "label": "Название ссылки",
                            "max_length": 255,
                            "required": False,
                        },
                    ),
                    10: ("wagtail.blocks.StructBlock", [[("document", 8), ("title", 9)]], {}),
                    11: (
                        "cms.blocks.VideoFileChooserBlock",
                        (),
                        {
                            "help_text": "Загрузите файл MP4 или WebM как документ и выберите его здесь.",
                            "label": "Видеофайл",
                        },
                    ),
                    12: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "Название", "max_length": 255, "required": False},
                    ),
                    13: (
                        "wagtail.images.blocks.ImageChooserBlock",
                        (),
                        {"label": "Заставка", "required": False},
                    ),
                    14: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {
                            "help_text": "Для тех, кто не может прослушать запись.",
                            "label": "Текстовая расшифровка",
                            "required": False,
                        },
                    ),
                    15: (
                        "wagtail.blocks.StructBlock",
                        [[("video", 11), ("title", 12), ("poster", 13), ("transcript", 14)]],
                        {},
                    ),
                    16: ("cms.blocks.ExternalMediaBlock", (), {}),
                    17: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("info", "Справка"),
                                ("warning", "Обратите внимание"),
                                ("important", "Важно"),
                            ],
                            "label": "Вид",
                        },
                    ),
                    18: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": ["bold", "italic", "ol", "ul", "link", "document-link"],
                            "label": "Текст",
                        },
                    ),
                    19: ("wagtail.blocks.StructBlock", [[("kind", 17), ("text", 18)]], {}),
                    20: ("wagtail.blocks.TextBlock", (), {"label": "Текст нормы или цитаты"}),
                    21: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "Например: 273-ФЗ, ст. 12.1", "label": "Источник", "max_length": 255},
                    ),
                    22: (
                        "wagtail.blocks.URLBlock",
                        (),
                        {"label": "Ссылка на текст документа", "required": False},
                    ),
                    23: ("wagtail.blocks.StructBlock", [[("text", 20), ("source", 21), ("url", 22)]], {}),
                    24: ("cms.blocks.DataTableBlock", (), {}),
                },
                verbose_name="текст",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="standardpage", name="body"),
        migrations.RenameField(model_name="standardpage", old_name="body_stream", new_name="body"),
    ]
