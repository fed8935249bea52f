"""The default site, its home page and the root collection, for a database that lost them (a flush).

The home page is normally made by the data migration ``cms.0002_create_homepage``; a database
flush (``manage.py flush``, transactional tests) removes it, and :func:`ensure_home_page` puts it
back. Idempotent.
"""

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage

HOME_TITLE = "Антикор: обучение"
HOME_INTRO = (
    "<p>Дистанционное обучение и тестирование государственных и муниципальных служащих "
    "Калужской области по вопросам противодействия коррупции.</p>"
)


def ensure_home_page():
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Collection.get_first_root_node() is None:  # made by a Wagtail migration; images and documents need it
        Collection.add_root(name="Root")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:
            root = Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=HomePage(title=HOME_TITLE, slug="home", intro=HOME_INTRO))
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=HOME_TITLE
        )
    return home
