import pytest
from wagtail.models import Page, Site

from cms.models import HomePage
from cms.site_setup import ensure_home_page

pytestmark = pytest.mark.django_db


def test_home_page_is_recreated_after_loss_and_never_duplicated():
    Site.objects.all().delete()
    HomePage.objects.all().delete()
    home = ensure_home_page()
    assert home.get_parent().pk == Page.get_first_root_node().pk
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert ensure_home_page().pk == home.pk
    assert HomePage.objects.count() == 1


def test_migrated_database_already_has_the_home_page(client):
    assert ensure_home_page().pk == HomePage.objects.get().pk
    assert client.get("/").status_code == 200
