"""In a real browser, with the keyboard only: a servant takes a test of every question type (issue 17).

From «Мои тесты» to the campaign's start button, through the seven questions (single and multiple
choice, true/false, short text, number, matching, essay), the question navigation and «Назад», to
finishing and the result page, using nothing but Tab, Shift+Tab, Space, Enter, the arrow keys and
typing. At every place the focus lands, the focused element must show it (an outline or a box shadow)
and be inside the viewport. Run at a desktop and at a phone size.
"""

import datetime
import re

import pytest
from django.utils import timezone

from people.audience import Audience
from people.factories import make_municipality, make_organization, make_person
from quizzes.factories import make_quiz_of_every_type
from quizzes.models import Response, Sitting, TestCampaign

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

PASSWORD = "Берёзовая-роща-7"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
MIN_RING_CONTRAST = 3  # WCAG 1.4.11: what shows a state needs 3:1 against what is next to it
MAX_STOPS = 80  # Tab presses allowed to reach one target (the header has a dozen stops)

# What the focused element looks like: None when nothing is focused (the document itself).
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) { return null; }
  const style = window.getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  let name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
  const text = (label || el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 60);
  if (text) { name += " «" + text + "»"; }
  // The contrast of the outline against the background it is drawn on (the nearest painted one).
  const rgba = color => (color.match(/[\\d.]+/g) || [0, 0, 0, 0]).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  let behind = [255, 255, 255];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const color = rgba(window.getComputedStyle(node).backgroundColor);
    if (color.length < 4 || color[3] > 0) { behind = color; break; }
  }
  const ring = luminance(rgba(style.outlineColor)), ground = luminance(behind);
  const outlineContrast = (Math.max(ring, ground) + 0.05) / (Math.min(ring, ground) + 0.05);
  return {
    name: name,
    id: el.id,
    tag: el.tagName.toLowerCase(),
    type: el.type || "",
    label: label.trim(),
    text: (el.innerText || "").trim(),
    value: el.value === undefined ? null : el.value,
    checked: !!el.checked,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineContrast: outlineContrast,
    boxShadow: style.boxShadow,
    top: rect.top, left: rect.left, bottom: rect.bottom, right: rect.right,
    width: rect.width, height: rect.height,
    viewportWidth: document.documentElement.clientWidth,
    viewportHeight: document.documentElement.clientHeight,
  };
}"""


def focus_problems(state):
    """What is wrong with how the focused element shows its focus: [] when nothing."""
    problems = []
    has_outline = state["outlineStyle"] != "none" and state["outlineWidth"] > 0
    has_shadow = state["boxShadow"] not in ("", "none")
    if not (has_outline or has_shadow):
        problems.append("no visible focus (outline none, no box-shadow)")
    elif not has_shadow and state["outlineContrast"] < MIN_RING_CONTRAST:
        contrast = state["outlineContrast"]
        problems.append(f"the focus ring is too pale ({contrast:.1f}:1 against its background)")
    if state["width"] <= 0 or state["height"] <= 0:
        problems.append("has no size")
    # An element taller than the screen (a long question) is scrolled to its top: its start must show.
    height = state["viewportHeight"]
    fits = state["height"] <= height
    inside = (
        state["top"] >= -0.5
        and state["left"] >= -0.5
        and state["right"] <= state["viewportWidth"] + 0.5
        and (state["bottom"] <= height + 0.5 if fits else state["top"] < height)
    )
    if not inside:
        box = ", ".join(f"{state[side]:.0f}" for side in ("left", "top", "right", "bottom"))
        problems.append(f"outside the viewport ({box} in {state['viewportWidth']}×{state['viewportHeight']})")
    return problems


class KeyboardUser:
    """Drives the page with ``page.keyboard`` only, and checks the focus after every key."""

    def __init__(self, page):
        self.page = page
        self.stops = []  # every place the focus landed, in order
        self.problems = []

    def focus(self):
        state = self.page.evaluate(FOCUS_STATE)
        if state is not None:
            self.stops.append(state["name"])
            where = f"{self.page.url}: {state['name']}"
            self.problems += [f"{where}: {problem}" for problem in focus_problems(state)]
        return state

    def press(self, key):
        self.page.keyboard.press(key)
        return self.focus()

    def follow(self, key="Enter"):
        """Press a key that opens another page (a link, a form's button, finishing the test)."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def type(self, text):
        self.page.keyboard.type(text)
        return self.focus()

    def tab_to(self, matches, what, backwards=False):
        """Tab (or Shift+Tab) until the focused element ``matches``; fail if it is never reached."""
        for _press in range(MAX_STOPS):
            state = self.press("Shift+Tab" if backwards else "Tab")
            if state is not None and matches(state):
                return state
        went = self.stops[-MAX_STOPS:]
        raise AssertionError(f"{what} cannot be reached with the keyboard; focus went: {went}")

    def tab_to_id(self, element_id, backwards=False):
        return self.tab_to(lambda state: state["id"] == element_id, f"#{element_id}", backwards)

    def tab_to_text(self, text, backwards=False):
        return self.tab_to(lambda state: state["text"] == text, f"«{text}»", backwards)

    def tab_into(self, question_id):
        """Tab to the first answer field of a question (its ids start with ``q<id>-``)."""
        prefix = f"q{question_id}-"
        return self.tab_to(lambda state: state["id"].startswith(prefix), f"question {question_id}")

    def tab_through_page(self):
        """Tab from the top of the page to its end (the focus leaves the document or comes round)."""
        first = None
        for _press in range(MAX_STOPS):
            state = self.press("Tab")
            if state is None or state["name"] == first:
                return
            first = first or state["name"]
        raise AssertionError(f"the page's end never came; focus went: {self.stops[-MAX_STOPS:]}")


@pytest.fixture
def campaign():
    municipality = make_municipality("Муниципальный район «Ферзиковский район»")
    audience = Audience.objects.create(title="Ферзиковский район")
    audience.municipalities.add(municipality)
    quiz = make_quiz_of_every_type(wrong=("Прокурору", "Коллеге"), time_limit=30)
    now = timezone.now()
    return TestCampaign.objects.create(
        title="Тестирование с клавиатуры",
        quiz=quiz,
        audience=audience,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )


@pytest.fixture
def servant(campaign):
    municipality = campaign.audience.municipalities.get()
    organization = make_organization(municipality, "Администрация Ферзиковского района")
    return make_person(
        organization,
        email="pavel.orlov@example.org",
        first_name="Павел",
        last_name="Орлов",
        password=PASSWORD,
    )


def choose_radio(keys, question_id, label):
    """Tab into a radio group and pick ``label``: Space when the focus is on it, else the arrow keys
    (which move and check)."""
    state = keys.tab_into(question_id)
    assert state["type"] == "radio", state["name"]
    if state["label"] == label:
        return keys.press("Space")
    for _press in range(10):
        state = keys.press("ArrowDown")
        if state["label"] == label:
            assert state["checked"], state["name"]
            return state
    raise AssertionError(f"option «{label}» not reached with the arrow keys")


def choose_in_select(keys, wanted_value):
    """Pick an option of the focused closed <select> with the arrow keys."""
    index = keys.page.evaluate(
        "value => Array.prototype.findIndex.call(document.activeElement.options, o => o.value === value)",
        wanted_value,
    )
    current = keys.page.evaluate("document.activeElement.selectedIndex")
    assert index >= 0, wanted_value
    key = "ArrowDown" if index > current else "ArrowUp"
    for _press in range(abs(index - current)):
        keys.press(key)
    assert keys.page.evaluate("document.activeElement.value") == wanted_value


def next_question(keys, expected_heading):
    """Tab to «Далее» and press Enter: the new question is shown and the focus goes to it."""
    from playwright.sync_api import expect

    keys.tab_to_id("take-next")
    state = keys.press("Enter")
    expect(keys.page.get_by_text(expected_heading)).to_be_visible()
    assert state is not None and state["id"] == "take-question", state


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_servant_takes_a_test_with_the_keyboard_only(browser, live_server, servant, campaign, viewport):
    from playwright.sync_api import expect

    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/login/")
        page.get_by_label("Логин или email").fill(servant.email)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()
        expect(page).to_have_url(f"{live_server.url}/cabinet/")
        page.goto("/tests/")
        keys = KeyboardUser(page)

        # «Мои тесты» → the campaign → «Начать тест»
        keys.tab_to_text(campaign.title)
        keys.follow("Enter")
        expect(page).to_have_url(f"{live_server.url}/tests/campaigns/{campaign.pk}/")
        keys.tab_to_text("Начать тест")
        keys.follow("Enter")
        expect(page).to_have_url(re.compile(r"/tests/sittings/\d+/$"))
        expect(page.get_by_text("Вопрос 1 из 7")).to_be_visible()
        sitting = Sitting.objects.get(user=servant)
        ids = sitting.question_order
        snapshots = sitting.questions()

        def saved(number):
            expect(page.locator(f"#take-status-{ids[number]}")).to_have_text("сохранено")

        # The question navigation comes before the first question: every button of it is a Tab stop.
        for question_id in ids:
            keys.tab_to_id(f"take-index-{question_id}")

        # 1. single choice: into the radio group, the arrow keys pick the option
        choose_radio(keys, ids[0], "Представителю нанимателя")
        saved(0)

        # 2. multiple choice: Space on each right checkbox
        next_question(keys, "Вопрос 2 из 7")
        state = keys.tab_into(ids[1])
        while state["id"].startswith(f"q{ids[1]}-"):
            assert state["type"] == "checkbox", state["name"]
            if state["label"].startswith("Верный"):
                keys.press("Space")
            state = keys.press("Tab")
        saved(1)

        # 3. true / false
        next_question(keys, "Вопрос 3 из 7")
        choose_radio(keys, ids[2], "Неверно")
        saved(2)

        # 4. short text and 5. a number: typed
        next_question(keys, "Вопрос 4 из 7")
        keys.tab_into(ids[3])
        keys.type("конфликт интересов")
        saved(3)
        next_question(keys, "Вопрос 5 из 7")
        keys.tab_into(ids[4])
        keys.type("3")
        saved(4)

        # 6. matching: each select gets its right text with the arrow keys
        next_question(keys, "Вопрос 6 из 7")
        matching = snapshots[5]
        pairs = matching["key"]["pairs"]
        state = keys.tab_into(ids[5])
        for left in matching["left"]:
            assert state["tag"] == "select" and state["label"] == left["text"], state["name"]
            choose_in_select(keys, str(pairs[str(left["id"])]))
            state = keys.press("Tab")
        saved(5)

        # 7. essay: Tab leaves the text area (it never traps the focus)
        next_question(keys, "Вопрос 7 из 7")
        keys.tab_into(ids[6])
        keys.type("Уведомляю представителя нанимателя в письменной форме.")
        saved(6)
        assert page.locator("#take-next").is_disabled()  # the last question: «Далее» is no stop

        # Back one question with «Назад»: the matches are still chosen.
        keys.tab_to_id("take-prev")
        keys.press("Enter")
        expect(page.get_by_text("Вопрос 6 из 7")).to_be_visible()
        for left in matching["left"]:
            expect(page.locator(f"#q{ids[5]}-l{left['id']}")).to_have_value(str(pairs[str(left["id"])]))

        # Shift+Tab back to the navigation and open question 1 from it.
        keys.tab_to_id(f"take-index-{ids[0]}", backwards=True)
        state = keys.press("Enter")
        assert state["id"] == "take-question", state
        expect(page.get_by_text("Вопрос 1 из 7")).to_be_visible()
        state = keys.tab_into(ids[0])  # the focus enters the radio group at the chosen option
        assert state["label"] == "Представителю нанимателя" and state["checked"], state

        # Finish: the browser's confirmation is accepted (Enter in a real browser's dialog).
        keys.tab_to_id("take-finish")
        page.once("dialog", lambda dialog: dialog.accept())
        keys.follow("Enter")
        expect(page).to_have_url(f"{live_server.url}/tests/sittings/{sitting.pk}/result/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Результат")
        keys.tab_through_page()
        keys.tab_to_text("Мои тесты", backwards=True)

        assert keys.problems == [], "\n".join(keys.problems)
    finally:
        context.close()

    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.NEEDS_GRADING
    answers = {r.question_id: r.answer for r in Response.objects.filter(sitting=sitting)}
    options = {o["text"]: o["id"] for o in snapshots[0]["options"] + snapshots[1]["options"]}
    assert answers == {
        ids[0]: {"choice": options["Представителю нанимателя"]},
        ids[1]: {"choices": answers[ids[1]]["choices"]},
        ids[2]: {"value": False},
        ids[3]: {"text": "конфликт интересов"},
        ids[4]: {"value": "3"},
        ids[5]: {"pairs": pairs},
        ids[6]: {"text": "Уведомляю представителя нанимателя в письменной форме."},
    }
    assert sorted(answers[ids[1]]["choices"]) == sorted([options["Верный 1"], options["Верный 2"]])


def test_the_focus_check_reports_a_missing_or_pale_ring_and_an_element_off_screen(page):
    """The check can fail: no ring, a yellow ring alone on white, a button off the screen."""
    page.set_content(
        '<html lang="ru"><body>'
        '<button id="bare" style="outline:none">Без рамки</button>'
        '<button id="pale" style="outline:3px solid #ffbf47">Бледная рамка</button>'
        '<button id="good" style="outline:3px solid #ffbf47;box-shadow:0 0 0 2px #1d2733">Рамка</button>'
        '<button id="far" style="position:fixed;top:2000px;outline:3px solid #1d2733">Далеко</button>'
        "</body></html>"
    )

    def problems_of(element_id):
        page.evaluate("id => document.getElementById(id).focus({preventScroll: true})", element_id)
        return focus_problems(page.evaluate(FOCUS_STATE))

    assert [problem.split(" (")[0] for problem in problems_of("bare")] == ["no visible focus"]
    assert [problem.split(" (")[0] for problem in problems_of("pale")] == ["the focus ring is too pale"]
    assert problems_of("good") == []
    assert [problem.split(" (")[0] for problem in problems_of("far")] == ["outside the viewport"]
