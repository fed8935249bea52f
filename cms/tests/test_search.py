"""The site search page (/search/): published, public pages only, on any database."""

import pytest
from wagtail.models import PageViewRestriction

from cms.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return HomePage.objects.get()


def add_page(parent, title, slug, intro, live=True):
    page = StandardPage(title=title, slug=slug, intro=intro, live=live)
    parent.add_child(instance=page)
    return page


def test_the_search_page_opens_empty(client, home):
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Поиск по сайту" in html
    assert "Ничего не найдено" not in html


def test_only_published_public_pages_are_found(client, home):
    add_page(home, "Декларационная кампания", "declarations", "Сведения о доходах подаются ежегодно.")
    add_page(home, "Черновик о доходах", "draft", "Сведения о доходах, черновик.", live=False)
    private = add_page(home, "Закрытая страница", "private", "Сведения о доходах для своих.")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/search/", {"q": "доходах"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Декларационная кампания" in html
    assert "Черновик о доходах" not in html
    assert "Закрытая страница" not in html
    assert [page.title for page in response.context["results"]] == ["Декларационная кампания"]


def test_nothing_found_says_so(client, home):
    html = client.get("/search/", {"q": "несуществующееслово"}).content.decode()
    assert "Ничего не найдено" in html
