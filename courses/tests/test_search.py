"""Search over courses and lessons with PostgreSQL full-text search in Russian (as in production).

Runs where ``DATABASE_URL`` is PostgreSQL (CI); skipped on SQLite, which has no Russian stemming.
"""

import pytest
from django.db import connection

from courses.factories import make_course, make_lesson

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search only"),
]

RUSSIAN_SEARCH = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "russian"}}


@pytest.fixture(autouse=True)
def russian_search(settings):
    # Set before any page is saved: the index is written with the configuration's stemming.
    settings.WAGTAILSEARCH_BACKENDS = RUSSIAN_SEARCH


def paragraph(text):
    return [("paragraph", f"<p>{text}</p>")]


@pytest.fixture
def lessons():
    course = make_course(title="Основы противодействия коррупции")
    published = make_lesson(
        course,
        title="Ответственность служащих",
        body=paragraph("Виды ответственности за совершение коррупционных правонарушений."),
    )
    draft = make_lesson(
        course,
        title="Черновик урока",
        body=paragraph("Перечень коррупционных правонарушений (не опубликован)."),
        live=False,
    )
    other = make_lesson(course, title="Подарки", body=paragraph("Порядок уведомления о получении подарка."))
    return published, draft, other


def test_the_backend_uses_the_russian_configuration():
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    assert backend.config == "russian"


def test_a_lesson_is_found_by_another_form_of_the_words(lessons):
    from courses.models import LessonPage

    published, _draft, other = lessons
    found = list(LessonPage.objects.live().search("коррупционное правонарушение", operator="and"))
    assert found == [published]
    assert other not in found


def test_the_search_page_shows_only_live_pages(client, lessons):
    published, _draft, _other = lessons
    response = client.get("/search/", {"q": "коррупционное правонарушение"})
    assert response.status_code == 200
    assert [page.pk for page in response.context["results"]] == [published.pk]
    html = response.content.decode()
    assert "Ответственность служащих" in html
    assert "Черновик урока" not in html


def test_a_course_is_found_by_its_summary(client, lessons):
    make_course(title="Закупки без коррупции", summary="Конфликт интересов при осуществлении закупок.")
    response = client.get("/search/", {"q": "закупка"})
    assert [page.title for page in response.context["results"]] == ["Закупки без коррупции"]
