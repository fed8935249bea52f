"""Question texts in their format (Moodle's four) turned into safe HTML for the pages and the API.

* ``plain``: the text as typed, escaped; line breaks kept.
* ``html``: HTML, sanitised with an allow-list (nh3): no scripts, no event handlers, no styles, links
  only to http(s) and mail addresses.
* ``markdown``: CommonMark (markdown-it-py), then the same sanitising.
* ``moodle_auto``: Moodle's "auto-format": HTML is allowed and line breaks become ``<br>``; sanitised.

What comes out is always safe to put into a page as it is (``mark_safe`` / ``innerHTML``): nothing a
(compromised) trainer account or an imported file writes can run in a servant's browser.
"""

import html

import nh3
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
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": True})


def sanitize(markup):
    """``markup`` with everything outside the allow-list removed (the text of removed tags is kept,
    the content of ``script`` and ``style`` is dropped)."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def _line_breaks(text):
    return text.strip("\n").replace("\n", "<br>\n")


def to_html(text, text_format=PLAIN):
    """Safe HTML of ``text`` written in ``text_format`` (an unknown format is treated as plain)."""
    text = text or ""
    if text_format == HTML:
        markup = sanitize(text)
    elif text_format == MARKDOWN:
        markup = sanitize(_markdown.render(text))
    elif text_format == MOODLE_AUTO:
        markup = sanitize(_line_breaks(text))
    else:
        markup = _line_breaks(html.escape(text, quote=False))
    return mark_safe(markup.strip())  # escaped or sanitised just above


def to_plain(text, text_format=PLAIN):
    """The words of ``text`` without markup (for listings, exports to spreadsheets, search)."""
    if text_format == PLAIN:
        return text or ""
    markup = to_html(text, text_format)
    stripped = nh3.clean(str(markup).replace("<br>", "\n").replace("</p>", "</p>\n"), tags=set())
    return html.unescape(stripped).strip()
