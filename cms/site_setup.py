"""The default site, its home page and the root collection, for a database that lost them (a flush).

The home page is normally made by the data migration ``cms.0002_create_homepage``; a database
flush (``manage.py flush``, transactional tests) removes it, and :func:`ensure_home_page` puts it
back. Idempotent.

The default site answers at the public address: :func:`sync_site_address` gives it the host and port
of ``SITE_URL`` after every ``migrate``, so the page addresses Wagtail writes itself (its moderation
notifications, "view live" in the admin) agree with every other link (``people.links``).
"""

from urllib.parse import urlsplit

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
        hostname, port = site_address()
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=HOME_TITLE
        )
    return home


def site_address():
    """``(hostname, port)`` of ``SITE_URL`` as a Wagtail Site stores them (port 443 means https)."""
    parts = urlsplit(settings.SITE_URL)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def sync_site_address():
    """Give the default site the host and port of ``SITE_URL``; returns whether it changed."""
    hostname, port = site_address()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    if Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        return False  # another site already answers there: left to the administrator
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    return True


def migrated(sender, using="default", **kwargs):
    """post_migrate: the site's address follows SITE_URL (once the Site table exists)."""
    from django.db import connections

    if Site._meta.db_table in connections[using].introspection.table_names():
        sync_site_address()
