"""Question texts in their format (Moodle's four) turned into safe HTML for the pages and the API.

* ``plain``: the text as typed, escaped; line breaks kept.
* ``html``: HTML, sanitised with an allow-list (nh3): no scripts, no event handlers, no styles, links
  only to http(s) and mail addresses.
* ``markdown``: CommonMark (markdown-it-py), then the same sanitising.
* ``moodle_auto``: Moodle's "auto-format": HTML is allowed and line breaks become ``<br>``; sanitised.

What comes out is always safe to put into a page as it is (``mark_safe`` / ``innerHTML``): nothing a
(compromised) trainer account or an imported file writes can run in a servant's browser.

Pictures (``<img>``) are kept only when they are the site's own Wagtail images (``MEDIA_URL`` +
``images/``: the renditions the import of Moodle XML stores, :mod:`quizzes.services.question_images`);
any other address (another site, ``data:``, ``javascript:``, a path that climbs out) loses its ``src``,
so a text can neither load nor track anything from elsewhere.
"""

import html
import re

import nh3
from django.conf import settings
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

PLAIN = "plain"
HTML = "html"
MARKDOWN = "markdown"
MOODLE_AUTO = "moodle_auto"
FORMATS = (PLAIN, HTML, MARKDOWN, MOODLE_AUTO)

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# Where a Moodle XML file's texts point at its embedded files, before the import stores them.
PLUGINFILE = "@@PLUGINFILE@@/"
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~%/-]+$")
_DIMENSION = re.compile(r"^\d{1,5}(%|px)?$")
# A picture left without an address by the filter below (nh3 writes attributes quoted, so this is exact).
_IMAGE_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")

_markdown = MarkdownIt("commonmark", {"html": True})


def image_prefix():
    """The start of the address of every picture a text may show: the site's Wagtail images."""
    return settings.MEDIA_URL + "images/"


def is_allowed_image_src(value, allow_pluginfile=False):
    """Whether ``value`` is the address of one of the site's own images (a plain path, no query, no
    "..")."""
    if allow_pluginfile and value.startswith(PLUGINFILE):
        return ".." not in value and '"' not in value
    prefix = image_prefix()
    return (
        value.startswith(prefix)
        and _SAFE_PATH.match(value) is not None
        and ".." not in value
        and "//" not in value[1:]
    )


def _attribute_filter(allow_pluginfile):
    def keep(element, attribute, value):
        if element != "img":
            return value
        if attribute == "src":
            return value if is_allowed_image_src(value, allow_pluginfile) else None
        if attribute in ("width", "height"):
            return value if _DIMENSION.match(value) else None
        return value

    return keep


def sanitize(markup, allow_pluginfile=False):
    """``markup`` with everything outside the allow-list removed (the text of removed tags is kept,
    the content of ``script`` and ``style`` is dropped). ``allow_pluginfile`` keeps pictures that still
    point into a Moodle file (an import converting texts before it has stored their pictures). A picture
    whose address is not allowed is dropped whole."""
    cleaned = nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_attribute_filter(allow_pluginfile),
    )
    return _IMAGE_WITHOUT_SRC.sub("", cleaned)


def _line_breaks(text):
    return text.strip("\n").replace("\n", "<br>\n")


def to_html(text, text_format=PLAIN, allow_pluginfile=False):
    """Safe HTML of ``text`` written in ``text_format`` (an unknown format is treated as plain)."""
    text = text or ""
    if text_format == HTML:
        markup = sanitize(text, allow_pluginfile)
    elif text_format == MARKDOWN:
        markup = sanitize(_markdown.render(text), allow_pluginfile)
    elif text_format == MOODLE_AUTO:
        markup = sanitize(_line_breaks(text), allow_pluginfile)
    else:
        markup = _line_breaks(html.escape(text, quote=False))
    return mark_safe(markup.strip())  # escaped or sanitised just above


def convert(text, source, target):
    """``text`` written in ``source`` rewritten for ``target`` (HTML or Moodle's auto-format) so that it
    shows the same: rendered to safe HTML; for the auto-format, whose line breaks are ``<br>``, the line
    breaks of that HTML become spaces. Moodle pictures (``@@PLUGINFILE@@/…``) are kept."""
    if source == target or not (text or "").strip():
        return text
    markup = str(to_html(text, source, allow_pluginfile=True))
    return markup.replace("\n", " ") if target == MOODLE_AUTO else markup


def to_plain(text, text_format=PLAIN):
    """The words of ``text`` without markup (for listings, exports to spreadsheets, search)."""
    if text_format == PLAIN:
        return text or ""
    markup = to_html(text, text_format)
    stripped = nh3.clean(str(markup).replace("<br>", "\n").replace("</p>", "</p>\n"), tags=set())
    return html.unescape(stripped).strip()


_guide_markdown = MarkdownIt("commonmark").enable("table")
GUIDE_TAGS = {
    "h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "hr", "a",
    "table", "thead", "tbody", "tr", "th", "td", "br",
}  # fmt: skip


def guide_html(text):
    """A guide for trainers written in Markdown (docs/import-questions.md) as safe HTML: headings and
    tables too, which question texts do not get; raw HTML in the file is escaped, links stay."""
    return nh3.clean(_guide_markdown.render(text), tags=GUIDE_TAGS, attributes={"a": {"href"}})
