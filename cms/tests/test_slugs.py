"""A page saved without a slug gets a Latin one from its Russian title (cms/slugs.py)."""

import pytest
from wagtail.models import Page

from cms.models import StandardPage

pytestmark = pytest.mark.django_db


def test_a_russian_title_gives_a_latin_slug_unique_among_siblings():
    root = Page.get_first_root_node()
    first = root.add_child(instance=StandardPage(title="Конфликт интересов"))
    second = root.add_child(instance=StandardPage(title="Конфликт интересов"))
    assert first.slug == "konflikt-interesov"
    assert second.slug == "konflikt-interesov-2"
    kept = root.add_child(instance=StandardPage(title="Подарки", slug="gifts"))
    assert kept.slug == "gifts"  # a slug given is kept
