"""The admin in Russian, fast: the trainer's, the municipal manager's and the regional manager's admin
pages fetched with Django's test client, their text without tags (and the titles, placeholders and
labels of their elements), checked for Latin-only words and for model names in the wrong case.

The real check reads what chromium shows (tests/browser/test_admin_language.py); this one walks the
same pages in a few seconds, and checks the menu's labels, the «Добавить …» button of every listing
(the model's accusative) and our wording of Wagtail's texts that carry a model name.
"""

import re

import pytest
from django.utils.text import capfirst

from cms.admin_wording import accusative

from .admin_language import (
    BROKEN_GRAMMAR,
    PASSWORD,
    build_world,
    grammar_faults,
    html_text,
    latin_words,
    menu_labels,
    walk,
)

pytestmark = pytest.mark.django_db

# Who signs in. An organizer has no admin (their pages are on the site): the walk finds nothing for them.
ROLES = ("trainer", "municipal_manager", "regional_manager", "organizer")


def make_world():
    from cms.moderation import ensure_moderation
    from cms.site_setup import ensure_home_page

    home = ensure_home_page()  # made by migrations already; again after a flush
    ensure_moderation()
    return build_world(home)


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture(scope="module")
def walked(django_db_setup, django_db_blocker):
    """``{role: {url: html}}``; each kind of page is walked once, for the first role that reaches it.

    Walked once for the module's tests, which only read the pages' HTML: the world is built in a
    transaction that is rolled back once the walk is done, so nothing of it outlives the fixture."""
    from django.db import transaction
    from django.test import Client

    seen = set()
    result = {}
    with django_db_blocker.unblock(), transaction.atomic():
        world = make_world()
        client = Client()
        for role in ROLES:
            user = getattr(world, role)
            client.logout()
            assert client.login(username=user.username, password=PASSWORD)
            result[role] = walk(client, world, user, seen)
        transaction.set_rollback(True)
    return result


def test_the_walk_reaches_the_pages_of_each_role(walked):
    trainer = " ".join(walked["trainer"])
    assert "/admin/quizzes/categories/new/" in trainer
    assert "/admin/quizzes/questions/single/new/" in trainer
    assert any(re.search(r"/admin/pages/\d+/edit/", url) for url in walked["trainer"])
    everybody = " ".join(url for pages in walked.values() for url in pages)
    assert "/admin/people/import/" in everybody
    assert "/admin/plans/import/" in walked["regional_manager"]
    assert "/admin/reports/broadcasts/" in walked["municipal_manager"]
    assert walked["organizer"] == {}
    assert sum(len(pages) for pages in walked.values()) > 40


def test_no_english_words_in_the_admin(walked):
    faults = {}
    for role, pages in walked.items():
        for url, html in pages.items():
            words = latin_words(html_text(html))
            if url == "/admin/":
                words += [f"(menu) {word}" for label in menu_labels(html) for word in latin_words(label)]
            if words:
                faults[f"{role} {url}"] = words
    assert not faults, "Latin words in the admin:\n" + "\n".join(f"{k}: {v}" for k, v in faults.items())


def test_model_names_read_in_the_right_case(walked):
    faults = {}
    for role, pages in walked.items():
        for url, html in pages.items():
            found = grammar_faults(html_text(html))
            if found:
                faults[f"{role} {url}"] = found
    assert not faults, "Broken grammar:\n" + "\n".join(f"{k}: {v}" for k, v in faults.items())


def model_viewsets():
    """Wagtail's listings of models: every ``ModelViewSet`` and snippet viewset registered."""
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.model import ModelViewSet

    viewsets.populate()
    return [
        viewset
        for viewset in viewsets.viewsets
        if isinstance(viewset, ModelViewSet) and viewset.model and names_the_model(viewset.index_view_class)
    ]


def names_the_model(index_view_class):
    """Whether the listing's «Добавить …» is built from the model's name (images, users, groups… have
    their own, rightly declined, labels)."""
    from wagtail.admin.views.generic.models import IndexView

    owner = next(cls for cls in index_view_class.__mro__ if "add_item_label" in cls.__dict__)
    return owner is IndexView


def test_every_listed_model_has_its_accusative_for_the_add_button():
    """«Добавить категория вопросов» is wrong: a model named by a feminine noun gives its accusative
    (``verbose_name_accusative``, cms/admin_wording.py); masculine and neuter names serve as they are."""
    wrong = {
        f"{viewset.model._meta.label}: «Добавить {accusative(viewset.model)}»"
        for viewset in model_viewsets()
        if BROKEN_GRAMMAR[0].search(f"Добавить {accusative(viewset.model)}")
    }
    assert len(model_viewsets()) > 10  # the registry is read
    assert not wrong, "no verbose_name_accusative:\n" + "\n".join(sorted(wrong))


def test_the_add_buttons_of_the_listings_use_the_accusative(world, client):
    from django.urls import NoReverseMatch, reverse
    from wagtail.snippets.views.snippets import SnippetViewSet

    from people.factories import make_person

    admin = make_person(role=None, is_superuser=True, username="root", password=PASSWORD)
    assert client.login(username=admin.username, password=PASSWORD)
    checked = []
    for viewset in model_viewsets():
        try:
            index_url = reverse(
                viewset.get_url_name("list" if isinstance(viewset, SnippetViewSet) else "index")
            )
        except NoReverseMatch:
            continue
        html = client.get(index_url).content.decode()
        expected = capfirst(f"Добавить {accusative(viewset.model)}")
        labels = re.findall(r'<a [^>]*href="[^"]*/(?:new|add)/[^"]*"[^>]*>(.*?)</a>', html, re.S)
        labels = [" ".join(html_text(label).split()) for label in labels]
        if labels:
            assert expected in labels, f"{index_url}: {labels}"
            checked.append(viewset.model._meta.label)
    assert {"quizzes.Category", "people.Audience", "people.Organization", "cms.MaterialTopic"} <= set(checked)


# Wagtail's texts with a model name that our catalogue words anew (locale/ru/LC_MESSAGES/django.po).
REWORDED = [
    "New",  # the add form's title: "New: <model name>"
    "New: %(model_name)s",
    "%(model_name)s '%(object)s' created.",
    "%(model_name)s '%(object)s' updated.",
    "%(model_name)s '%(object)s' deleted.",
    "The %(model_name)s could not be created due to errors.",
    "The %(model_name)s could not be saved due to errors.",
    "Are you sure you want to delete this %(model_name)s?",
    "There are no %(model_name)s to display.",
    "No %(model_name)s match your query.",
]


@pytest.mark.parametrize("msgid", REWORDED)
def test_wagtail_texts_with_a_model_name_read_with_any_name(msgid):
    """No participle or adjective that agrees with one gender («Тест … создана», «Новый: категория»),
    and no case that only some names take: the name stands alone (after a colon or in brackets)."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("ru"):
        text = gettext(msgid)
    assert text != msgid
    assert not re.search(r"\b(?:Новый|создан|создана|обновлена|удалена|удалён|удалёно)\b", text), text
    assert not re.search(r"(?:Нет|создать|удалить|сохранить) %\(model_name\)s", text), text
