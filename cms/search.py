"""Site search over published pages (courses, lessons, events, materials, text pages).

Wagtail's database search backend: on PostgreSQL it is full-text search with the configuration in
``WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"]`` ("russian" in production: «коррупционное
правонарушение» finds «коррупционных правонарушений»); on SQLite, FTS5 without stemming.
Drafts, unpublished pages and pages behind a view restriction are never found.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

PER_PAGE = 20
_WORD = re.compile(r"\w+")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Что найти"), max_length=200, required=False, strip=True)


def visible_pages(site_root=None):
    """Published pages anonymous visitors may open (under ``site_root`` when given)."""
    pages = Page.objects.live().public()
    if site_root is not None:
        pages = pages.descendant_of(site_root, inclusive=True)
    return pages


def search_words(text):
    """``text`` reduced to its words: quotes, brackets, stars and colons are query syntax to the search
    backends (a lone «"» made SQLite's FTS5 fail), and nobody types them to find a page."""
    return " ".join(_WORD.findall(text))


def search_pages(text, site_root=None):
    """Pages matching every word of ``text``, most relevant first (specific page objects); none when
    ``text`` has no word."""
    words = search_words(text)
    if not words:
        return Page.objects.none()
    return visible_pages(site_root).specific().search(words, operator="and")
