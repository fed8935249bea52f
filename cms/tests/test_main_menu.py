import pytest
from wagtail.models import Site

from cms.models import StandardPage

pytestmark = pytest.mark.django_db


def test_main_menu_lists_live_public_menu_pages_under_home(client):
    home = Site.objects.get(is_default_site=True).root_page
    home.add_child(instance=StandardPage(title="О проекте", slug="about", show_in_menus=True))
    home.add_child(instance=StandardPage(title="Скрытая", slug="hidden", show_in_menus=False))
    draft = StandardPage(title="Черновик", slug="draft", show_in_menus=True, live=False)
    home.add_child(instance=draft)
    html = client.get("/").content.decode()
    nav = html[html.index('class="site-nav"') : html.index("</nav>")]
    assert "О проекте" in nav
    assert "Скрытая" not in nav
    assert "Черновик" not in nav
    assert 'href="/about/"' in nav


def test_index_pages_are_in_the_menu_by_default():
    from cms.models import MaterialIndexPage
    from courses.models import CourseIndexPage
    from events.models import EventIndexPage

    for page_class in (CourseIndexPage, EventIndexPage, MaterialIndexPage):
        assert page_class().show_in_menus is True
