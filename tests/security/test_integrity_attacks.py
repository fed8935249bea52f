"""A servant who wants a pass without knowledge, through the same JSON API the test page uses.

Each test plays one trick that worked before the integrity rules (``docs/security.md``, "Test
integrity") and fails if it works again: padded or respelt ids, extra keys, ids of another sitting,
guessing by the lowest option id, reading the key of a running exam in last year's review, and the
second campaign on the same quiz. The bank is the demo region's (``quizzes/demo_data/bank.gift``):
authors, and every GIFT file, write the right answer first.
"""

import datetime
import json
import statistics

import pytest
from django.test import Client
from django.utils import timezone

from people.factories import make_municipality, make_person
from quizzes.demo import BANK_FILE, ROOT_CATEGORY
from quizzes.factories import (
    correct_answer,
    make_campaign,
    make_municipal_audience,
    make_quiz,
    make_single_choice,
)
from quizzes.models import Category, Quiz, QuizDraw, Sitting
from quizzes.services import finish_sitting, save_answer, start_campaign_sitting
from quizzes.services.importing import import_questions

pytestmark = pytest.mark.django_db

API = "/api/v1/tests"
NOW = timezone.now()
DAY = datetime.timedelta(days=1)


class Servant:
    """A logged-in person driving the API like take.js does (CSRF enforced)."""

    def __init__(self, user):
        self.user = user
        self.client = Client(enforce_csrf_checks=True)
        self.client.force_login(user)
        self.client.get("/tests/")
        self.token = self.client.cookies["csrftoken"].value

    def call(self, method, path, body=None):
        return getattr(self.client, method)(
            API + path,
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
            HTTP_X_CSRFTOKEN=self.token,
        )

    def start(self, campaign):
        response = self.call("post", f"/campaigns/{campaign.pk}/sittings")
        assert response.status_code == 200, response.content
        return response.json()

    def answer(self, sitting, question, answer, seq=1):
        return self.call(
            "put", f"/sittings/{sitting['id']}/answers/{question['id']}", {"answer": answer, "seq": seq}
        )

    def finish(self, sitting):
        response = self.call("post", f"/sittings/{sitting['id']}/finish")
        assert response.status_code == 200, response.content
        return response.json()

    def result(self, sitting_id):
        return self.call("get", f"/sittings/{sitting_id}/result")


@pytest.fixture
def region():
    """The demo bank and quiz (12 questions drawn from the bank, pass mark 70 %), an audience, and two
    campaigns on that one quiz: last spring's (closed) and this autumn's (open)."""
    report = import_questions(BANK_FILE.name, BANK_FILE.read_bytes())
    assert report.ok, report.errors
    quiz = Quiz.objects.create(
        title="Знание законодательства о противодействии коррупции",
        time_limit=30,
        pass_mark=70,
        attempts_allowed=1,
        review_policy=Quiz.ReviewPolicy.AFTER_CLOSE,
    )
    QuizDraw.objects.create(
        quiz=quiz, category=Category.objects.get(name=ROOT_CATEGORY, parent=None), count=12
    )
    municipality = make_municipality("Город Обнинск")
    audience = make_municipal_audience(municipality)
    return {
        "quiz": quiz,
        "municipality": municipality,
        "autumn": make_campaign(quiz, audience, NOW - DAY, NOW + 30 * DAY, "Осенняя сессия"),
        "spring": make_campaign(quiz, audience, NOW - 200 * DAY, NOW - 150 * DAY, "Весенняя сессия"),
    }


def servant(region):
    return Servant(make_person(municipality=region["municipality"]))


def questions_of(sitting, kind):
    return [question for question in sitting["questions"] if question["type"] == kind]


def test_a_matching_item_named_in_several_spellings_is_refused(region):
    for _person in range(20):  # 12 of the bank's 14 questions are drawn: find a sitting with matching
        attacker = servant(region)
        sitting = attacker.start(region["autumn"])
        matching = [q for q in Sitting.objects.get(pk=sitting["id"]).questions() if q["type"] == "matching"]
        if matching:
            break
    [question] = matching
    left = question["left"][0]["id"]
    rights = [item["id"] for item in question["right"]]
    # One guess per spelling of the same item: before, every spelling counted and the sum was capped.
    spellings = [left, f"0{left}", f" {left}", left.upper()][: len(rights)]
    padded = dict(zip(spellings, rights, strict=True))
    response = attacker.answer(sitting, question, {"pairs": padded})
    assert response.status_code == 422, response.content
    assert not Sitting.objects.get(pk=sitting["id"]).responses.exists()


def test_extra_keys_wrong_types_and_foreign_ids_are_refused(region):
    attacker, other = servant(region), servant(region)
    sitting = attacker.start(region["autumn"])
    foreign = Sitting.objects.get(pk=other.start(region["autumn"])["id"]).questions()
    foreign_ids = {option["id"] for question in foreign for option in question.get("options", [])}
    for question in Sitting.objects.get(pk=sitting["id"]).questions():
        right = correct_answer(question)
        attempts = [
            {**right, "bonus": 1},  # an extra key next to a right answer
            {"answer": right},
            [right],
            {next(iter(right)): [right[next(iter(right))], right[next(iter(right))]]},
        ]
        if question["type"] in ("single", "multiple"):
            mine = {option["id"] for option in question["options"]}
            stranger = sorted(foreign_ids - mine)[0]
            attempts += [{"choice": stranger}, {"choices": [stranger]}, {"choice": 1}, {"choices": [True]}]
        if question["type"] == "multiple":
            first = question["options"][0]["id"]
            attempts.append({"choices": [first, first]})
        for answer in attempts:
            response = attacker.answer(sitting, question, answer)
            assert response.status_code == 422, (question["type"], answer, response.content)
            assert response.json()["detail"]  # a Russian message for the person
    assert not Sitting.objects.get(pk=sitting["id"]).responses.exists()


def test_option_ids_say_nothing_about_the_key(region):
    """Over many sittings the lowest id (or the first id on screen) is right no more often than chance.
    Before, the lowest id was the right option of every choice question: authors write it first."""
    questions = [make_single_choice(wrong=("Б", "В", "Г")) for _n in range(10)]  # the right one first
    quiz = make_quiz(questions, shuffle_options=True, attempts_allowed=1)
    campaign = make_campaign(quiz, region["autumn"].audience, NOW - DAY, NOW + DAY)
    hits = {"lowest": 0, "first": 0}
    trials = 0
    for _person in range(30):
        sitting = servant(region).start(campaign)
        snapshots = {q["id"]: q for q in Sitting.objects.get(pk=sitting["id"]).questions()}
        for question in sitting["questions"]:
            right = snapshots[question["id"]]["key"]["correct"]
            ids = [option["id"] for option in question["options"]]
            hits["lowest"] += min(ids) in right
            hits["first"] += ids[0] in right
            trials += 1
    for strategy, count in hits.items():
        # Chance is a quarter (mean 75 of 300, standard deviation 7.5); a leak would be near 300.
        assert count / trials < 0.4, (strategy, count, trials)


def test_knowing_nothing_does_not_pass_the_demo_campaign(region):
    """The strategy that passed the open demo campaign: the lowest option id, "always true", padded
    matching keys. Now the padding is refused and the rest is chance."""
    percents = []
    for _person in range(12):
        attacker = servant(region)
        sitting = attacker.start(region["autumn"])
        for seq, question in enumerate(sitting["questions"], start=1):
            kind = question["type"]
            if kind in ("single", "multiple"):
                lowest = min(option["id"] for option in question["options"])
                answer = {"choice": lowest} if kind == "single" else {"choices": [lowest]}
            elif kind == "truefalse":
                answer = {"value": True}
            elif kind == "matching":
                left = question["left"][0]["id"]
                padded = {f"{'0' * n}{left}": item["id"] for n, item in enumerate(question["right"])}
                assert attacker.answer(sitting, question, {"pairs": padded}, seq).status_code == 422
                answer = {"pairs": {item["id"]: question["right"][0]["id"] for item in question["left"]}}
            else:
                continue
            assert attacker.answer(sitting, question, answer, seq).status_code == 200
        percents.append(float(attacker.finish(sitting)["percent"]))
    assert statistics.mean(percents) < region["quiz"].pass_mark - 20, percents


def test_last_years_review_does_not_give_away_the_open_exam(region):
    """Spring is closed (its review is open), autumn runs on the same quiz: the spring participant's
    review shows no key of a question they can still meet in autumn, neither in the API nor on the page."""
    person = servant(region)
    then = NOW - 160 * DAY  # spring was open then
    spring = start_campaign_sitting(person.user, region["spring"], now=then)
    for snapshot in spring.questions():
        save_answer(spring, snapshot["id"], correct_answer(snapshot), 1, now=then)
    finish_sitting(spring, now=then)
    secrets = [
        text
        for snapshot in spring.questions()
        for text in (snapshot["explanation"], snapshot["legal_norm"])
        if text and len(text) > 12
    ]

    response = person.result(spring.pk)
    body = response.json()
    assert body["review_available"] is True  # spring is closed
    assert body["questions"] and all(item["withheld"] for item in body["questions"])
    page = person.client.get(f"/tests/sittings/{spring.pk}/result/").content.decode()
    for secret in secrets:
        assert secret not in response.content.decode()
        assert secret not in page

    # Once autumn is over for them (their one attempt used), the spring review opens in full.
    autumn = person.start(region["autumn"])
    person.finish(autumn)
    body = person.result(spring.pk).json()
    assert not any(item["withheld"] for item in body["questions"])
    assert all(item["is_correct"] for item in body["questions"])


def test_the_second_campaign_on_the_same_quiz_is_a_fresh_start(region):
    person = servant(region)
    start_campaign_sitting(person.user, region["spring"], now=NOW - 160 * DAY)  # left in progress
    [autumn_entry] = [c for c in person.call("get", "/campaigns").json() if c["id"] == region["autumn"].pk]
    assert autumn_entry["attempts_left"] == 1 and autumn_entry["can_start"]
    sitting = person.start(region["autumn"])
    assert sitting["campaign_id"] == region["autumn"].pk and sitting["number"] == 1
    person.finish(sitting)
    assert person.call("post", f"/campaigns/{region['autumn'].pk}/sittings").status_code == 409
    # A third campaign on the same quiz neither resumes autumn's sitting nor counts its attempt.
    winter = make_campaign(region["quiz"], region["autumn"].audience, NOW - DAY, NOW + DAY, "Зимняя сессия")
    third = person.start(winter)
    assert third["id"] != sitting["id"] and third["campaign_id"] == winter.pk and third["number"] == 1
