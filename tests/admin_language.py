"""What the admin-language tests share (tests/test_admin_language.py with Django's test client, and
tests/browser/test_admin_language.py with chromium): a small world with one object of every kind the
admin lists, the walk that finds the admin pages a person reaches, and the checks on their text.

The walk: the menu's links (the sidebar's props), then from each of those pages the first link of each
kind under /admin/ (a listing's first edit page, its «Добавить…» form, a report's sub-pages), plus the
page tree: each section's explorer, its «Добавить страницу» choice, the add form of every page type and
the edit form of one page of each type.

The checks: no Latin-only word outside :data:`ALLOWED_LATIN`; no Wagtail phrase that puts a model name
in the wrong case (:data:`BROKEN_GRAMMAR`); and every «Добавить …» button of a listing names its model
in the accusative (``verbose_name_accusative`` of the model, ``people.admin_wording``).
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.utils import timezone

PASSWORD = "Берёзовая-роща-7"

# Latin words that may stay in Russian text. Each is a proper name or a format's own name, as the users
# see it in Russian documents too; anything else in Latin letters is a missing translation.
ALLOWED_LATIN = {
    "Wagtail",  # the admin's product name (its logo and «О Wagtail»), a proper name
    "GIFT",  # Moodle's question format, the import page names it
    "Aiken",  # the other Moodle question format (a proper name)
    "Moodle",  # the learning platform the question formats come from
    "XML",  # Moodle XML, a file format
    "XLSX",  # file formats of the imports and exports
    "DOCX",
    "PDF",
    "CSV",
    "JSON",
    "SCORM",  # the standard of e-learning packages (lessons)
    "e-mail",  # as Russian documents write it; also "email" (the roster's column, «Логин или email»)
    "email",
    "URL",  # Wagtail's «URL-адрес» and redirects; the accepted Russian term
    "ID",  # the question's «ID в банке» (Moodle's idnumber), shown as in Moodle
    "LDAP",  # the directory sign-in
    "HTML",  # the question text's format (HTML / Markdown / plain text), names of formats
    "Markdown",
    "Excel",  # Microsoft Excel, where the templates are filled in
    "PNG",  # image formats the question import accepts
    "GIF",
    "JPEG",
    "WebP",
    "SVG",
    "iSpring Suite",  # programs that make SCORM packages and Moodle banks (proper names)
    "iSpring",
    "Articulate",
}
_ALLOWED = {word.lower() for word in ALLOWED_LATIN if " " not in word}
_ALLOWED_PHRASES = re.compile("|".join(re.escape(p) for p in ALLOWED_LATIN if " " in p), re.I)
# Roman numerals number the sections of the anti-corruption plan («Раздел II»).
ROMAN_NUMERAL = re.compile(r"^[IVXLC]+$")

# A token that is an identifier, not a word: an address, a file name, a username, a code.
_IDENTIFIER = re.compile(r"\S*(?:@|://|[A-Za-z0-9]\.[A-Za-z0-9]|_)\S*|\.[A-Za-z0-9]+\b")
_LATIN_WORD = re.compile(r"(?<![\w-])[A-Za-z]+(?:-[A-Za-z]+)*(?![\w-])")

# Wagtail phrases whose Russian puts a model name in the wrong case or gender; after the fix our
# catalogue (locale/ru) words them so that they read with any model name.
BROKEN_GRAMMAR = [
    # «Добавить категория вопросов», «Добавить новая тема»: a feminine noun in the nominative after
    # «Добавить» (the accusative ends in -у/-ю); «Добавить пользователя» (-теля) is a right accusative.
    re.compile(r"\bДобавить (?:\w+[ая]я )?\w+(?<!тел)[ая]\b"),
    re.compile(r"\bНовый: \w*[аяеАЯЕ]\b"),  # «Новый: Категория вопросов», «Новый: Мероприятие»
    re.compile(r"\bудалёно\b"),
    re.compile(r"\b\d*[2-4] новых элементов"),  # the sidebar's «(2 новых элементов в этом меню)»
    re.compile(r"\bНет \w+ для отображения"),  # «Нет тесты для отображения»
    re.compile(r"не соответствует вашему запросу"),
    re.compile(r"\bдобавить одну\b"),
    re.compile(r"\w(?:отмечена|в настоящее время)"),  # a name glued to the next word
    re.compile(r"\bудалить (?:\w+[ая]я )?\w+(?<!тел)[ая]\?"),  # «удалить категория вопросов?»
]


def latin_words(text):
    """Latin-only words of ``text`` that are not allowed, in order of appearance, each once."""
    text = _IDENTIFIER.sub(" ", _ALLOWED_PHRASES.sub(" ", text))
    found = []
    for word in _LATIN_WORD.findall(text):
        if len(word) < 2 or word.lower() in _ALLOWED or ROMAN_NUMERAL.match(word) or word in found:
            continue
        found.append(word)
    return found


def grammar_faults(text):
    faults = []
    for pattern in BROKEN_GRAMMAR:
        for match in pattern.finditer(text):
            line = text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ")
            faults.append(f"«…{line.strip()}…»")
    return faults


class _TextParser(HTMLParser):
    """The text of an HTML page as a person meets it: the elements' text (not scripts, styles, templates
    or icons) and the titles, placeholders and labels of elements, the values of buttons."""

    # Not read as text: code, icons; and quoted file syntax (<code>, <pre>, <kbd>: a GIFT line, an XML
    # tag, a column of a template are what the file holds, not words of the interface).
    SKIPPED_ELEMENTS = {"script", "style", "template", "svg", "noscript", "code", "pre", "kbd", "samp"}
    VOID_ELEMENTS = {"input", "img", "br", "hr", "meta", "link", "source", "wbr", "area", "col", "embed"}
    SPOKEN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skipping or "hidden" in attrs or tag in self.SKIPPED_ELEMENTS:  # hidden: not shown
            if tag not in self.VOID_ELEMENTS:
                self.skipping.append(tag)
            return
        self.parts += [attrs[name] for name in self.SPOKEN_ATTRIBUTES if attrs.get(name)]
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.skipping:  # tolerate unclosed elements inside (<p> in a hidden <div>)
            while self.skipping.pop() != tag:
                pass

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_text(html):
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


# --- the world ---------------------------------------------------------------------------------------


@dataclass
class World:
    trainer: object
    regional_manager: object
    municipal_manager: object
    organizer: object
    pages: dict = field(default_factory=dict)  # "course" -> CoursePage, …
    questions: list = field(default_factory=list)  # one question of each type


def build_world(home):
    """One object of every kind the admin lists, all named in Russian; the four people who sign in."""
    from cms.models import MaterialIndexPage, MaterialPage, MaterialTopic
    from cms.moderation import ensure_moderation
    from courses.factories import make_course, make_course_index, make_lesson
    from courses.models import Assignment
    from events.factories import make_event, make_event_index, make_organizer
    from people.factories import (
        make_municipal_manager,
        make_municipality,
        make_organization,
        make_person,
        make_regional_manager,
    )
    from people.roles import Role
    from quizzes import factories as q
    from reports.tests.plan_dataset import load_2024_plan

    kaluga = make_municipality("Город Калуга", short_name="Калуга")
    organization = make_organization(kaluga, name="Городская управа города Калуги")
    trainer = make_person(
        role=Role.TRAINER,
        username="o.petrova",
        last_name="Петрова",
        first_name="Ольга",
        email="o.petrova@example.org",
        password=PASSWORD,
    )
    regional_manager = make_regional_manager(
        username="i.sokolov",
        last_name="Соколов",
        first_name="Игорь",
        email="i.sokolov@example.org",
        password=PASSWORD,
    )
    municipal_manager = make_municipal_manager(
        kaluga,
        organization=organization,
        username="m.orlova",
        last_name="Орлова",
        first_name="Мария",
        email="m.orlova@example.org",
        password=PASSWORD,
    )
    organizer = make_organizer(
        username="a.belov",
        last_name="Белов",
        first_name="Андрей",
        email="a.belov@example.org",
        password=PASSWORD,
    )
    make_person(organization, last_name="Кузнецова", first_name="Анна")

    catalogue = make_course_index(home)
    course = make_course(catalogue, title="Конфликт интересов", slug="konflikt")
    lesson = make_lesson(course, title="Что такое конфликт интересов", slug="chto-takoe")
    events = make_event_index(home)
    event = make_event(events, title="Семинар о конфликте интересов", slug="seminar")
    library = MaterialIndexPage(title="Библиотека материалов", slug="materials")
    home.add_child(instance=library)
    topic = MaterialTopic.objects.create(name="Конфликт интересов")
    material = MaterialPage(title="Памятка о подарках", slug="pamyatka", kind="other")
    library.add_child(instance=material)
    material.topics.add(topic)
    ensure_moderation()

    category = q.make_category("Основы законодательства")
    questions = [
        q.make_single_choice(category=category, text="Что такое коррупция?"),
        q.make_multiple_choice(category=category, text="Что относится к подаркам?"),
        q.make_true_false(category=category, text="Подарок можно принять."),
        q.make_short_text(category=category, text="Как называется ситуация?"),
        q.make_numeric(category=category, text="Сколько дней на уведомление?"),
        q.make_matching(category=category, text="Сопоставьте случаи и действия."),
        q.make_essay(category=category, text="Опишите конфликт интересов."),
    ]
    quiz = q.make_quiz(questions, title="Итоговый тест")
    audience = q.make_municipal_audience(kaluga, title="Служащие Калуги")
    now = timezone.now()
    q.make_campaign(
        quiz,
        audience,
        now - datetime.timedelta(days=1),
        now + datetime.timedelta(days=6),
        title="Весенняя проверка",
    )
    Assignment.objects.create(
        course=course, audience=audience, due_days_after_hire=30, created_by=regional_manager, is_active=False
    )
    load_2024_plan()
    world = World(
        trainer,
        regional_manager,
        municipal_manager,
        organizer,
        pages={
            "home": home,
            "catalogue": catalogue,
            "course": course,
            "lesson": lesson,
            "events": events,
            "event": event,
            "library": library,
            "material": material,
        },
    )
    world.questions = questions
    return world


# --- the walk ----------------------------------------------------------------------------------------

# Links the walk does not follow: they change something, leave the admin's HTML, or repeat a page.
SKIPPED = re.compile(
    r"/logout/|/delete/|/unpublish/|/lock/|/unlock/|/copy/|/move/|/revisions/|/history/|/usage/|"
    r"/workflow/|/preview/|/view_draft/|/convert_alias/|/privacy/|/reorder/|/bulk/|/multiple/|"
    r"/duplicate/|/retry/|/send/|/codes/|/api/|/jsi18n/|/login/|\.\w{2,4}$|/download|/sample|/template|"
    r"/chooser/|/choose|/password_reset/|/account/|/searchpicks/|/reports/(?:site-history|aging-pages)"
)
_HREF = re.compile(r'href="(/admin/[^"#]*)"')
_MENU_URL = re.compile(r'"url":\s*"(/admin/[^"]*)"')
_MENU_LABEL = re.compile(r'"label":\s*"((?:[^"\\]|\\.)*)"')


def menu_urls(html):
    """The sidebar's links (Wagtail renders the menu from JSON props)."""
    match = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    props = unescape(match.group(1)) if match else ""
    return list(dict.fromkeys(_MENU_URL.findall(props)))


def menu_labels(html):
    match = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    props = unescape(match.group(1)) if match else ""
    return [json.loads(f'"{label}"') for label in _MENU_LABEL.findall(props)]


def _shape(url):
    """A link's kind: the same path with every number replaced (one page of each kind is enough)."""
    path = urlsplit(url).path
    return re.sub(r"\d+", "N", path)


def page_tree_urls(world, user):
    """The page tree: explorers, the «add subpage» choice, add forms and edit forms of each page type."""
    from django.urls import reverse

    pages = world.pages
    urls = []
    for key in ("home", "catalogue", "events", "library", "course"):
        urls.append(reverse("wagtailadmin_explore", args=[pages[key].pk]))
    for key in ("catalogue", "events", "library", "course", "home"):
        urls.append(reverse("wagtailadmin_pages:add_subpage", args=[pages[key].pk]))
    for parent, app, model in (
        ("catalogue", "courses", "coursepage"),
        ("course", "courses", "lessonpage"),
        ("events", "events", "eventpage"),
        ("library", "cms", "materialpage"),
        ("home", "cms", "standardpage"),
    ):
        urls.append(reverse("wagtailadmin_pages:add", args=[app, model, pages[parent].pk]))
    for key in ("course", "lesson", "event", "material", "catalogue", "events", "library", "home"):
        urls.append(reverse("wagtailadmin_pages:edit", args=[pages[key].pk]))
    return urls


def question_urls(world):
    """The add and edit forms of every question type (the bank's listing links one edit form)."""
    from django.urls import reverse

    from quizzes.admin_views.questions import type_viewset_name

    urls = []
    for question in world.questions:
        name = type_viewset_name(question.kind)
        urls += [reverse(f"{name}:add"), reverse(f"{name}:edit", args=[question.pk])]
    return urls


def walk(client, world, user, seen_shapes=None):
    """``{url: html}`` of the admin pages ``user`` (signed in on ``client``) reaches with a 200 HTML
    answer: the menu, one page of each kind linked from there, and the page tree. Kinds already in
    ``seen_shapes`` (walked for somebody else) are not walked again."""
    seen_shapes = set() if seen_shapes is None else seen_shapes
    pages = {}

    def fetch(url):
        shape = _shape(url)
        if shape in seen_shapes or SKIPPED.search(url):
            return None
        seen_shapes.add(shape)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            return None
        html = response.content.decode()
        pages[url] = html
        return html

    response = client.get("/admin/")
    if response.status_code != 200:  # no access to the admin (an organizer): nothing to walk
        return pages
    dashboard = response.content.decode()
    pages["/admin/"] = dashboard
    seen_shapes.add("/admin/")
    first = menu_urls(dashboard)
    first += [unescape(url) for url in _HREF.findall(dashboard)]
    first += page_tree_urls(world, user) + question_urls(world)
    for url in first:
        html = fetch(url)
        if html is None:
            continue
        for link in _HREF.findall(html):
            fetch(unescape(link))
    return pages
