"""Question texts are shown in their format: HTML sanitised (nh3), Markdown rendered, plain text escaped."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from people.audience import Audience
from people.factories import make_municipality, make_person
from quizzes import richtext
from quizzes.demo import BANK_FILE
from quizzes.factories import make_quiz, make_single_choice, make_true_false
from quizzes.models import Question, TestCampaign
from quizzes.services import start_campaign_sitting
from quizzes.services.importing import import_questions


def test_html_is_sanitised_with_an_allow_list():
    html = richtext.to_html(
        '<b>30 апреля</b><script>alert(1)</script><img src=x onerror="alert(1)">'
        '<a href="javascript:alert(1)">ссылка</a><p style="color:red" onclick="x()">текст</p>',
        "html",
    )
    assert "<b>30 апреля</b>" in html
    for unsafe in ("<script", "alert(1)", "onerror", "<img", "javascript:", "onclick", "style="):
        assert unsafe not in html
    assert "<p>текст</p>" in html and "ссылка" in html


def test_markdown_goes_through_a_library_and_is_sanitised_too():
    html = richtext.to_html("Срок — **30 апреля**.\n\n- доходы\n- расходы\n\n<script>x</script>", "markdown")
    assert "<strong>30 апреля</strong>" in html and "<li>доходы</li>" in html
    assert "<script" not in html


def test_plain_text_is_escaped_and_keeps_its_lines():
    assert (
        str(richtext.to_html("3 < 5 и <b>\nвторая строка", "plain"))
        == "3 &lt; 5 и &lt;b&gt;<br>\nвторая строка"
    )


def test_moodle_auto_format_allows_html_and_breaks_lines():
    html = str(richtext.to_html("Первая <i>строка</i>\nвторая<script>x</script>", "moodle_auto"))
    assert html == "Первая <i>строка</i><br>\nвторая"


def test_listings_show_the_words_without_markup():
    assert (
        richtext.to_plain("Не позднее <b>30 апреля</b> &amp; далее", "html") == "Не позднее 30 апреля & далее"
    )
    assert richtext.to_plain("**Важно**: срок", "markdown") == "Важно: срок"


@pytest.mark.django_db
def test_the_test_page_and_the_api_show_formatted_text_never_raw_markup():
    municipality = make_municipality("Город Обнинск")
    audience = Audience.objects.create(title="Обнинск")
    audience.municipalities.add(municipality)
    question = make_true_false(
        text="Сведения представляются не позднее <b>30 апреля</b>.<script>alert(1)</script>",
        text_format="html",
    )
    choice = make_single_choice(text="Кто <i>уведомляет</i>?", correct="<u>Служащий</u>", text_format="html")
    now = timezone.now()
    campaign = TestCampaign.objects.create(
        title="Тестирование",
        quiz=make_quiz([question, choice], time_limit=20),
        audience=audience,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    person = make_person(municipality=municipality)
    sitting = start_campaign_sitting(person, campaign)
    client = Client()
    client.force_login(person)

    page = client.get(f"/tests/sittings/{sitting.pk}/?plain=1").content.decode()
    assert "не позднее <b>30 апреля</b>." in page and "&lt;b&gt;" not in page
    assert "<u>Служащий</u>" in page
    assert "alert(1)" not in page

    payload = client.get(f"/api/v1/tests/sittings/{sitting.pk}").json()
    first = payload["questions"][0]
    assert first["html"] == "Сведения представляются не позднее <b>30 апреля</b>."
    assert payload["questions"][1]["options"][0]["html"] == "<u>Служащий</u>"


@pytest.mark.django_db
def test_the_demo_bank_is_formatted_and_item_analysis_shows_words():
    assert import_questions(BANK_FILE.name, BANK_FILE.read_bytes()).ok
    deadline = Question.objects.get(name="Срок представления")
    assert deadline.text_format == "html"
    assert "<b>30 апреля</b>" in deadline.html
    assert "<b>" not in str(deadline) and "30 апреля" in str(deadline)  # item analysis and listings
    concept = Question.objects.get(name="Понятие коррупции")
    assert (concept.id_number, sorted(concept.tags.names())) == ("АК-001", ["273-ФЗ", "понятия"])
