"""The servant's test pages: my campaigns, the intro, the test page shell, the result, the cabinet."""

import datetime
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from people.audience import Audience
from people.factories import make_municipality, make_person
from quizzes import cabinet
from quizzes.factories import (
    correct_answer,
    make_matching,
    make_quiz,
    make_short_text,
    make_single_choice,
)
from quizzes.models import ExtraTime, Quiz, Sitting, TestCampaign
from quizzes.services import finish_sitting, save_answer

pytestmark = pytest.mark.django_db

TAKE_JS = Path(__file__).resolve().parent.parent / "static" / "quizzes" / "take.js"
EXPLANATION = "Обязанность установлена частью 2 статьи 11"


@pytest.fixture
def world():
    obninsk = make_municipality("Город Обнинск")
    audience = Audience.objects.create(title="Обнинск")
    audience.municipalities.add(obninsk)
    quiz = make_quiz(
        [
            make_single_choice(
                text="Куда направляется уведомление?",
                correct="Представителю нанимателя",
                explanation=EXPLANATION,
            ),
            make_short_text(accepted=("личная заинтересованность",)),
            make_matching(),
        ],
        time_limit=20,
        review_policy=Quiz.ReviewPolicy.AFTER_ATTEMPT,
    )
    now = timezone.now()
    campaign = TestCampaign.objects.create(
        title="Весеннее тестирование",
        quiz=quiz,
        audience=audience,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=2),
    )
    return {
        "campaign": campaign,
        "quiz": quiz,
        "person": make_person(municipality=obninsk),
        "other": make_person(municipality=obninsk),
        "outsider": make_person(municipality=make_municipality("Город Калуга")),
    }


def logged_in(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def start_through_the_page(client, campaign):
    page = client.get(f"/tests/campaigns/{campaign.pk}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    return client.post(f"/tests/campaigns/{campaign.pk}/", {"csrfmiddlewaretoken": token})


def test_my_campaigns_page(world):
    client = logged_in(world["person"])
    page = client.get("/tests/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Весеннее тестирование" in html
    assert f'href="/tests/campaigns/{world["campaign"].pk}/"' in html
    assert "не начат" in html.lower()
    assert "Весеннее тестирование" not in logged_in(world["outsider"]).get("/tests/").content.decode()


def test_a_closed_campaign_never_taken_says_so(world):
    campaign = world["campaign"]
    now = timezone.now()
    TestCampaign.objects.filter(pk=campaign.pk).update(
        opens_at=now - datetime.timedelta(days=10), closes_at=now - datetime.timedelta(days=1)
    )
    html = logged_in(world["person"]).get(f"/tests/campaigns/{campaign.pk}/").content.decode()
    assert "Тестирование закрыто, вы его не проходили" in html
    assert "Не начат" not in html and "Осталось попыток" not in html
    TestCampaign.objects.filter(pk=campaign.pk).update(
        opens_at=now + datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=3)
    )
    html = logged_in(world["person"]).get(f"/tests/campaigns/{campaign.pk}/").content.decode()
    assert "Тестирование ещё не открыто" in html and "Осталось попыток" in html


def test_anonymous_is_sent_to_log_in(world):
    for url in [
        "/tests/",
        f"/tests/campaigns/{world['campaign'].pk}/",
        "/tests/sittings/1/",
        "/tests/sittings/1/result/",
    ]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_intro_starts_a_sitting_and_opens_the_test_page(world):
    client = logged_in(world["person"])
    intro = client.get(f"/tests/campaigns/{world['campaign'].pk}/")
    assert "Начать тест" in intro.content.decode()
    assert "20 минут" in intro.content.decode()
    response = start_through_the_page(client, world["campaign"])
    sitting = Sitting.objects.get(user=world["person"])
    assert response.status_code == 302
    assert response["Location"] == f"/tests/sittings/{sitting.pk}/"
    # Starting again resumes the same sitting.
    assert start_through_the_page(client, world["campaign"])["Location"] == f"/tests/sittings/{sitting.pk}/"
    assert Sitting.objects.count() == 1
    assert "Продолжить тест" in client.get(f"/tests/campaigns/{world['campaign'].pk}/").content.decode()


def test_the_intro_and_my_tests_count_the_persons_extra_time(world):
    """A person granted extra time sees the time they really have (the deadline of their sitting counts
    it), not the quiz's bare limit; the others see the quiz's limit."""
    ExtraTime.objects.create(campaign=world["campaign"], user=world["person"], minutes=15)
    client = logged_in(world["person"])
    for url in (f"/tests/campaigns/{world['campaign'].pk}/", "/tests/"):
        html = client.get(url).content.decode()
        assert "35 минут" in html, url
        assert "дополнительное время — 15 мин." in html, url
    other = logged_in(world["other"]).get(f"/tests/campaigns/{world['campaign'].pk}/").content.decode()
    assert "20 минут" in other and "дополнительное время" not in other
    start_through_the_page(client, world["campaign"])
    sitting = Sitting.objects.get(user=world["person"])
    assert sitting.deadline == sitting.started_at + datetime.timedelta(minutes=35)


def test_starting_needs_the_csrf_token(world):
    client = logged_in(world["person"])
    assert client.post(f"/tests/campaigns/{world['campaign'].pk}/").status_code == 403
    assert not Sitting.objects.exists()


def test_a_refusal_is_shown_in_russian(world):
    Quiz.objects.filter(pk=world["quiz"].pk).update(attempts_allowed=1)
    sitting = Sitting.objects.get(pk=start_sitting(world))
    finish_sitting(sitting)
    client = logged_in(world["person"])
    page = client.get(f"/tests/campaigns/{world['campaign'].pk}/")
    assert "Все попытки прохождения теста использованы." in page.content.decode()
    assert "Начать тест" not in page.content.decode()


def start_sitting(world, user=None):
    from quizzes.services import start_campaign_sitting

    return start_campaign_sitting(user or world["person"], world["campaign"]).pk


def test_other_peoples_campaigns_and_sittings_are_404(world):
    sitting_id = start_sitting(world)
    outsider = logged_in(world["outsider"])
    assert outsider.get(f"/tests/campaigns/{world['campaign'].pk}/").status_code == 404
    other = logged_in(world["other"])
    assert other.get(f"/tests/sittings/{sitting_id}/").status_code == 404
    assert other.get(f"/tests/sittings/{sitting_id}/result/").status_code == 404


def test_the_test_page_is_a_shell_without_answers(world):
    sitting = Sitting.objects.get(pk=start_sitting(world))
    page = logged_in(world["person"]).get(f"/tests/sittings/{sitting.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<noscript>" in html and 'id="take-plain"' in html  # the form for browsers without JavaScript
    assert "?plain=1" in html  # and a way to it where take.js fails
    assert "/static/quizzes/take.js" in html
    assert f'data-sitting-url="/api/v1/tests/sittings/{sitting.pk}"' in html
    assert f'data-result-url="/tests/sittings/{sitting.pk}/result/"' in html
    strings = json.loads(re.search(r'<script id="take-strings"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert strings["saved"] == "сохранено"
    assert strings["saving"] == "сохраняется…"
    assert strings["retry"] == "не сохранено, повторим"
    for secret in ("личная заинтересованность", EXPLANATION, "273-ФЗ"):
        assert secret not in html
    assert " checked" not in html and " selected" not in html  # nothing answered, nothing marked
    # Every left item of the matching question offers the same rights in the same order.
    matching = sitting.question_snapshot(sitting.question_order[2])
    rows = re.findall(rf'<select name="q-{matching["id"]}-[^"]+"[^>]*>(.*?)</select>', html, re.S)
    assert len(rows) == len(matching["left"]) and len(set(rows)) == 1


def test_take_js_holds_no_answers_and_is_es5():
    source = TAKE_JS.read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)
    for pattern in (r"=>", r"`", r"\blet\s", r"\bconst\s", r"\?\.", r"\bclass\s", r"\.\.\.", r"\basync\b"):
        assert not re.search(pattern, code), pattern
    for word in ("is_correct", "explanation", "accepted", "fraction"):
        assert word not in code
    node = shutil.which("node")
    if node:
        subprocess.run([node, "--check", str(TAKE_JS)], check=True)


def test_a_finished_sitting_goes_to_its_result(world):
    sitting = Sitting.objects.get(pk=start_sitting(world))
    finish_sitting(sitting)
    response = logged_in(world["person"]).get(f"/tests/sittings/{sitting.pk}/")
    assert response["Location"] == f"/tests/sittings/{sitting.pk}/result/"


def test_the_result_of_a_running_sitting_goes_back_to_the_test(world):
    sitting_id = start_sitting(world)
    response = logged_in(world["person"]).get(f"/tests/sittings/{sitting_id}/result/")
    assert response["Location"] == f"/tests/sittings/{sitting_id}/"


def test_the_result_page_finishes_a_sitting_whose_time_is_up(world):
    sitting = Sitting.objects.get(pk=start_sitting(world))
    Sitting.objects.filter(pk=sitting.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    page = logged_in(world["person"]).get(f"/tests/sittings/{sitting.pk}/result/")
    assert page.status_code == 200
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.FINISHED
    assert sitting.finished_at == sitting.deadline


def answered_and_finished(world):
    sitting = Sitting.objects.get(pk=start_sitting(world))
    for seq, snapshot in enumerate(sitting.questions(), start=1):
        save_answer(sitting, snapshot["id"], correct_answer(snapshot), seq)
    return finish_sitting(sitting)


def test_the_result_page_shows_the_review_when_allowed(world):
    sitting = answered_and_finished(world)
    html = logged_in(world["person"]).get(f"/tests/sittings/{sitting.pk}/result/").content.decode()
    assert "100%" in html
    assert "Тест пройден" in html
    assert "Разбор ответов" in html
    assert EXPLANATION in html
    assert "Представителю нанимателя" in html


def test_the_result_page_hides_the_review_when_not_allowed(world):
    Quiz.objects.filter(pk=world["quiz"].pk).update(review_policy=Quiz.ReviewPolicy.NEVER)
    sitting = answered_and_finished(world)
    html = logged_in(world["person"]).get(f"/tests/sittings/{sitting.pk}/result/").content.decode()
    assert "100%" in html
    assert "Разбор ответов" not in html
    for secret in (EXPLANATION, "Представителю нанимателя", "личная заинтересованность"):
        assert secret not in html


def test_the_cabinet_lists_my_open_campaigns(world):
    cabinet.register()
    client = logged_in(world["person"])
    html = client.get("/cabinet/").content.decode()
    assert "Мои тесты" in html
    assert f'href="/tests/campaigns/{world["campaign"].pk}/"' in html
    assert "Весеннее тестирование" not in logged_in(world["outsider"]).get("/cabinet/").content.decode()
    world["campaign"].closes_at = timezone.now() - datetime.timedelta(minutes=1)
    world["campaign"].opens_at = timezone.now() - datetime.timedelta(days=1)
    world["campaign"].save()
    assert "Весеннее тестирование" not in client.get("/cabinet/").content.decode()


class TestWithoutJavaScript:
    """The test page works as one plain form: the intro never starts a sitting the browser cannot take."""

    def form(self, client, sitting, plain=True):
        page = client.get(f"/tests/sittings/{sitting.pk}/" + ("?plain=1" if plain else ""))
        assert page.status_code == 200
        html = page.content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return html, token

    def fields(self, sitting, answers):
        """The form fields a person fills in to give ``answers`` (by question type)."""
        data = {"questions": [str(pk) for pk in sitting.question_order]}
        for snapshot in sitting.questions():
            field, answer = f"q-{snapshot['id']}", answers[snapshot["type"]](snapshot)
            if snapshot["type"] == "matching":
                for left, right in answer.items():
                    data[f"{field}-{left}"] = right
            else:
                data[field] = answer
        return data

    RIGHT = {
        "single": lambda s: s["key"]["correct"][0],
        "short": lambda s: "Личная  заинтересованность",
        "matching": lambda s: dict(s["key"]["pairs"]),
    }

    def test_a_whole_test_without_javascript(self, world):
        client = logged_in(world["person"])
        start_through_the_page(client, world["campaign"])
        sitting = Sitting.objects.get(user=world["person"])
        html, token = self.form(client, sitting, plain=False)
        assert "<noscript>" in html
        html, token = self.form(client, sitting)
        assert "/static/quizzes/take.js" not in html
        data = {**self.fields(sitting, self.RIGHT), "csrfmiddlewaretoken": token, "action": "save"}
        response = client.post(f"/tests/sittings/{sitting.pk}/?plain=1", data)
        assert (
            response.status_code == 302 and response["Location"] == f"/tests/sittings/{sitting.pk}/?plain=1"
        )
        assert sitting.responses.count() == 3 and all(r.fraction == 1 for r in sitting.responses.all())
        assert set(sitting.responses.values_list("seq", flat=True)) == {1}
        html, token = self.form(client, sitting)
        assert "Ответы сохранены." in html
        assert html.count(" checked") == 1 and html.count(" selected") == len(sitting.questions()[2]["left"])
        # Saving the same answers again changes nothing; finishing scores them.
        data.update(csrfmiddlewaretoken=token, action="finish")
        response = client.post(f"/tests/sittings/{sitting.pk}/?plain=1", data)
        assert response["Location"] == f"/tests/sittings/{sitting.pk}/result/"
        assert set(sitting.responses.values_list("seq", flat=True)) == {1}
        sitting.refresh_from_db()
        assert (sitting.state, sitting.percent, sitting.passed) == (Sitting.State.FINISHED, 100, True)

    def test_a_refused_answer_is_shown_and_the_others_are_saved(self, world):
        client = logged_in(world["person"])
        sitting = Sitting.objects.get(pk=start_sitting(world))
        _html, token = self.form(client, sitting)
        answers = {**self.RIGHT, "single": lambda s: "forged-id"}
        data = {**self.fields(sitting, answers), "csrfmiddlewaretoken": token, "action": "finish"}
        response = client.post(f"/tests/sittings/{sitting.pk}/?plain=1", data)
        assert response.status_code == 422
        assert "Выбран несуществующий вариант ответа." in response.content.decode()
        assert sorted(sitting.responses.values_list("question_id", flat=True)) == sorted(
            sitting.question_order[1:]
        )
        sitting.refresh_from_db()
        assert sitting.is_in_progress  # not finished with an answer refused

    def test_after_the_deadline_the_form_goes_to_the_result(self, world):
        client = logged_in(world["person"])
        sitting = Sitting.objects.get(pk=start_sitting(world))
        _html, token = self.form(client, sitting)
        Sitting.objects.filter(pk=sitting.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))
        data = {**self.fields(sitting, self.RIGHT), "csrfmiddlewaretoken": token, "action": "save"}
        response = client.post(f"/tests/sittings/{sitting.pk}/", data)
        assert response["Location"] == f"/tests/sittings/{sitting.pk}/result/"
        assert not sitting.responses.exists()
        sitting.refresh_from_db()
        assert sitting.state == Sitting.State.FINISHED

    def test_another_persons_sitting_cannot_be_posted_to(self, world):
        sitting = Sitting.objects.get(pk=start_sitting(world))
        other = logged_in(world["other"])
        other.get("/tests/")
        token = other.cookies["csrftoken"].value
        data = {**self.fields(sitting, self.RIGHT), "csrfmiddlewaretoken": token, "action": "finish"}
        assert other.post(f"/tests/sittings/{sitting.pk}/", data).status_code == 404
        assert not sitting.responses.exists()
