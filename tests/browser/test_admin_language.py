"""In a real browser: the Wagtail admin speaks Russian to the trainer, the municipal manager and the
regional manager (issue 17: «Full name», «False», «1-5 of 5 страницы», «Добавить категория вопросов»,
«Тест … создана», «Actions», «footer», «None»).

Each of them signs in at /admin/login/; the pages they reach are found by the walk of
tests/admin_language.py (the menu, one page of each kind linked from it — a listing's first edit form,
its «Добавить…» form, the import, campaign, plan, broadcast and mail pages —, the page tree with the add
and edit forms of every page type and question type); each kind of page is opened once, for the first of
them who reaches it. On every page chromium's visible text (``innerText``, the title, and the
placeholders, titles and labels of visible elements and the values of buttons) may hold no Latin-only
word outside the allow-list (``ALLOWED_LATIN``) and none of the broken phrases (``BROKEN_GRAMMAR``).
An organizer has no admin: /admin/ sends them to the sign-in page.

Then the trainer adds a question category: the button says «Добавить категорию вопросов», and the
message after saving reads with the feminine name («Добавлено: категория вопросов «…».»).
The same walk without a browser, and checks of the model names: tests/test_admin_language.py.
"""

import pytest
from django.test import Client

from tests.admin_language import PASSWORD, build_world, grammar_faults, latin_words, walk

from .admin_pages import admin_log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

ROLES = ("trainer", "municipal_manager", "regional_manager")

# What a person reads or hears on the page. Quoted file syntax (<code>, <pre>, <kbd>: a GIFT line, an XML
# tag) is what a file holds, not the interface's words: it is left out. The page is not used afterwards.
VISIBLE_TEXT = """() => {
    document.querySelectorAll('code, pre, kbd, samp').forEach(element => element.remove());
    const parts = [document.title, document.body.innerText];
    const spoken = '[placeholder], [title], [aria-label], [alt], input[type=submit], input[type=button]';
    for (const element of document.querySelectorAll(spoken)) {
        if (!element.checkVisibility()) continue;
        for (const name of ['placeholder', 'title', 'aria-label', 'alt']) {
            if (element.getAttribute(name)) parts.push(element.getAttribute(name));
        }
        if (element.matches('input[type=submit], input[type=button]')) parts.push(element.value);
    }
    return parts.join('\\n');
}"""


@pytest.fixture
def world(home_page):
    return build_world(home_page)


def log_out(page):
    page.context.clear_cookies()


def test_the_admin_shows_no_english_and_no_broken_grammar(page, world):
    seen = set()
    faults = []
    opened = 0
    for role in ROLES:
        user = getattr(world, role)
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        urls = list(walk(client, world, user, seen))
        log_out(page)
        admin_log_in(page, user)
        for url in urls:
            response = page.goto(url)
            assert response.ok, f"{role} {url}: {response.status}"
            text = page.evaluate(VISIBLE_TEXT)
            opened += 1
            words = latin_words(text)
            if words:
                faults.append(f"{role} {url}: Latin words {words}")
            faults += [f"{role} {url}: {fault}" for fault in grammar_faults(text)]
    assert opened > 40  # the walk found the admin
    assert not faults, "The admin is not in Russian:\n" + "\n".join(faults)


def test_an_organizer_has_no_admin(page, world):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(world.organizer.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.goto("/admin/")
    assert "/admin/login/" in page.url


def test_a_trainer_adds_a_question_category_in_correct_russian(page, world):
    from playwright.sync_api import expect

    admin_log_in(page, world.trainer)
    page.goto("/admin/quizzes/categories/")
    page.get_by_role("link", name="Добавить категорию вопросов").first.click()
    expect(page.locator("h1")).to_contain_text("Добавление")
    page.locator("#id_name").fill("Этика служащего")
    page.get_by_role("button", name="Создать").click()
    expect(page.locator(".messages")).to_contain_text("Добавлено: категория вопросов «Этика служащего».")
    text = page.evaluate(VISIBLE_TEXT)
    assert not latin_words(text) and not grammar_faults(text)
