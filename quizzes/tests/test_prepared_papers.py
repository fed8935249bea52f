"""Prepared papers (issue 19): drawn while the person waits on the intro page, copied into a sitting at
the start. A paper never counts as started, goes stale on every change that would change the sitting,
and a start with nothing prepared is the ordinary one."""

import datetime
import json
import re
import threading
import time
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people.factories import make_municipality, make_person
from quizzes.analytics import live_counters
from quizzes.cabinet import MyState, my_campaign
from quizzes.factories import (
    make_campaign,
    make_category,
    make_essay,
    make_municipal_audience,
    make_quiz,
    make_single_choice,
    make_true_false,
)
from quizzes.models import ExtraTime, PreparedPaper, Question, Sitting, TestCampaign
from quizzes.services import drawing, finish_sitting, start_campaign_sitting
from quizzes.services.prepared import prepare_audience, prepare_paper, start_prepared
from quizzes.tests.api_clients import signed_in_servant

pytestmark = pytest.mark.django_db

API = "/api/v1/tests"
TRANSACTION_CONTROL = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b")
# The session, the person, then on PostgreSQL one statement (the paper read with the campaign, quiz,
# audience, membership and extra time, checked, and copied into the sitting); elsewhere the read, the
# copy and the drop.
PREPARED_START_BUDGET = 3 if connection.vendor == "postgresql" else 5


@pytest.fixture(autouse=True)
def empty_snapshot_cache():
    drawing.clear_cache()
    yield
    drawing.clear_cache()


@pytest.fixture
def town():
    return make_municipality("Город Обнинск")


def open_campaign(town, quiz, title):
    """A campaign of ``quiz`` for the people of ``town``, open from an hour ago for two hours more."""
    now = timezone.now()
    return make_campaign(
        quiz,
        make_municipal_audience(town),
        now - datetime.timedelta(hours=1),
        now + datetime.timedelta(hours=2),
        title=title,
    )


@pytest.fixture
def campaign(town):
    questions = [make_single_choice(text=f"Вопрос {i}") for i in range(6)] + [make_true_false(), make_essay()]
    quiz = make_quiz(questions, time_limit=30, attempts_allowed=2, shuffle_questions=True)
    return open_campaign(town, quiz, "Тестирование «Антикоррупционный стандарт»")


def person_client(town):
    return signed_in_servant(town)


def start(client, token, campaign):
    return client.post(
        f"{API}/campaigns/{campaign.pk}/sittings",
        data="{}",
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )


def open_intro(client, campaign):
    response = client.get(f"/tests/campaigns/{campaign.pk}/")
    assert response.status_code == 200
    return response


def test_opening_the_intro_prepares_a_paper_that_counts_nowhere_as_started(campaign, town):
    person, client, _token = person_client(town)
    open_intro(client, campaign)
    paper = PreparedPaper.objects.get(campaign=campaign, user=person)
    assert paper.number == 1 and len(paper.question_order) == 8
    assert not Sitting.objects.exists()
    entry = my_campaign(person, campaign.pk)
    assert entry.state == MyState.NOT_STARTED and entry.attempts_left == 2
    assert all(not any(row.values()) for row in live_counters(campaign).values())
    # the page says the same as before
    assert "Начать" in open_intro(client, campaign).content.decode()
    assert PreparedPaper.objects.count() == 1  # a second visit keeps the paper


def test_a_start_from_the_paper_is_the_paper_and_answers_like_the_ordinary_start(campaign, town):
    person, client, token = person_client(town)
    open_intro(client, campaign)
    paper = PreparedPaper.objects.get(user=person)
    with CaptureQueriesContext(connection) as captured:
        response = start(client, token, campaign)
    statements = [q["sql"] for q in captured if not TRANSACTION_CONTROL.match(q["sql"])]
    assert response.status_code == 200, response.content
    assert len(statements) <= PREPARED_START_BUDGET, "\n".join(statements)
    # nothing drawn or planned again: no read of the quiz's questions, draws or options
    assert not [sql for sql in statements if re.search(r'FROM "quizzes_(quizquestion|quizdraw|choice)"', sql)]
    data = response.json()
    sitting = Sitting.objects.get(pk=data["id"])
    assert sitting.question_order == paper.question_order and sitting.snapshot == paper.snapshot
    assert (sitting.number, sitting.state, sitting.context) == (1, "in_progress", f"campaign:{campaign.pk}")
    assert sitting.deadline == sitting.started_at + datetime.timedelta(minutes=30)
    assert sitting.max_score == paper.max_score and sitting.pass_mark == paper.pass_mark
    assert not PreparedPaper.objects.exists()
    # the same JSON the ordinary path gives for this sitting (the resume returns it afresh)
    resumed = start(client, token, campaign).json()
    assert resumed["id"] == data["id"]
    for key in ("campaign_id", "title", "number", "state", "deadline", "questions", "answers", "result_url"):
        assert data[key] == resumed[key], key
    assert [q["id"] for q in data["questions"]] == paper.question_order
    assert "correct" not in json.dumps(data["questions"]) and "key" not in data["questions"][0]


def test_the_intro_pages_form_starts_from_the_paper_too(campaign, town):
    person, client, _token = person_client(town)
    open_intro(client, campaign)
    order = PreparedPaper.objects.get(user=person).question_order
    response = client.post(
        f"/tests/campaigns/{campaign.pk}/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )
    sitting = Sitting.objects.get(user=person)
    assert response.status_code == 302 and response["Location"] == f"/tests/sittings/{sitting.pk}/"
    assert sitting.question_order == order and not PreparedPaper.objects.exists()


def test_a_start_with_nothing_prepared_is_the_ordinary_start(campaign, town):
    person, client, token = person_client(town)
    response = start(client, token, campaign)
    assert response.status_code == 200
    assert Sitting.objects.get(user=person).number == 1 and len(response.json()["questions"]) == 8


def test_editing_the_quiz_before_the_start_makes_the_paper_stale(campaign, town):
    person, client, token = person_client(town)
    open_intro(client, campaign)
    campaign.quiz.quiz_questions.create(question=make_single_choice(text="Новый вопрос"), order=99)
    data = start(client, token, campaign).json()
    assert len(data["questions"]) == 9  # drawn afresh from the edited quiz
    assert not PreparedPaper.objects.exists()
    assert Sitting.objects.get(user=person).number == 1


def test_editing_a_drawn_question_before_the_start_makes_the_paper_stale(campaign, town):
    _person, client, token = person_client(town)
    open_intro(client, campaign)
    question = campaign.quiz.questions.get(text="Вопрос 3")
    question.text = "Вопрос 3 в новой редакции"
    question.save()
    texts = [q["text"] for q in start(client, token, campaign).json()["questions"]]
    assert "Вопрос 3 в новой редакции" in texts and "Вопрос 3" not in texts


def test_a_campaign_switched_to_another_quiz_does_not_use_the_old_paper(campaign, town):
    _person, client, token = person_client(town)
    open_intro(client, campaign)
    campaign.quiz = make_quiz([make_true_false(text="Другой тест")], time_limit=10)
    campaign.save()
    data = start(client, token, campaign).json()
    assert [q["text"] for q in data["questions"]] == ["Другой тест"]


def test_a_person_removed_from_the_audience_cannot_start_with_a_paper(campaign, town):
    person, client, token = person_client(town)
    open_intro(client, campaign)
    person.municipality = make_municipality("Город Калуга")
    person.save()
    assert start(client, token, campaign).status_code == 404
    assert not Sitting.objects.exists()


def test_a_paper_made_before_the_opening_waits_for_it(campaign, town):
    campaign.opens_at = timezone.now() + datetime.timedelta(minutes=10)
    campaign.save()
    person, client, token = person_client(town)
    open_intro(client, campaign)
    assert PreparedPaper.objects.filter(user=person).exists()  # the minutes before the start
    assert start(client, token, campaign).status_code == 409  # not open yet: the ordinary refusal
    assert not Sitting.objects.exists() and PreparedPaper.objects.filter(user=person).exists()
    later = timezone.now() + datetime.timedelta(minutes=11)
    started = start_prepared(person, campaign.pk, now=later)
    assert started is not None and Sitting.objects.get(pk=started.sitting_id).started_at == later


def test_a_sitting_in_progress_is_resumed_not_replaced_by_the_paper(campaign, town):
    person, client, token = person_client(town)
    first = start(client, token, campaign).json()
    open_intro(client, campaign)  # nothing to prepare while a sitting is in progress
    assert not PreparedPaper.objects.exists()
    paper_made_anyway = prepare_paper(person, campaign)
    assert paper_made_anyway is None
    assert start(client, token, campaign).json()["id"] == first["id"]


def test_a_sitting_begun_since_the_paper_was_made_makes_it_stale(campaign, town):
    person, client, token = person_client(town)
    open_intro(client, campaign)  # paper for attempt 1
    sitting = start_campaign_sitting(person, campaign)  # e.g. the plain form, somewhere else
    finish_sitting(sitting)
    assert start_prepared(person, campaign.pk) is None  # attempt 1 is used: the paper is not
    assert not PreparedPaper.objects.exists()
    data = start(client, token, campaign).json()
    assert data["number"] == 2


def test_the_last_attempt_used_leaves_nothing_to_prepare(campaign, town):
    person, client, token = person_client(town)
    for _ in range(2):
        finish_sitting(start_campaign_sitting(person, campaign))
    assert prepare_paper(person, campaign) is None
    assert start(client, token, campaign).status_code == 409


def test_extra_time_granted_after_the_paper_was_made_counts(campaign, town):
    person, client, token = person_client(town)
    open_intro(client, campaign)
    ExtraTime.objects.create(campaign=campaign, user=person, minutes=15)
    start(client, token, campaign)
    sitting = Sitting.objects.get(user=person)
    assert sitting.deadline == sitting.started_at + datetime.timedelta(minutes=45)


def test_the_campaigns_close_caps_the_deadline_of_a_prepared_start(campaign, town):
    campaign.closes_at = timezone.now() + datetime.timedelta(minutes=5)
    campaign.save()
    person, client, token = person_client(town)
    open_intro(client, campaign)
    start(client, token, campaign)
    assert Sitting.objects.get(user=person).deadline == campaign.closes_at


def test_pressing_start_twice_gives_one_sitting(campaign, town):
    person, client, token = person_client(town)
    open_intro(client, campaign)
    first = start(client, token, campaign).json()
    second = start(client, token, campaign).json()
    assert first["id"] == second["id"] and Sitting.objects.filter(user=person).count() == 1


def test_a_prepared_start_tells_the_live_monitor(campaign, town, django_capture_on_commit_callbacks):
    _person, client, token = person_client(town)
    open_intro(client, campaign)
    with (
        mock.patch("quizzes.signals.notify_campaign_changed") as notify,
        django_capture_on_commit_callbacks(execute=True),
    ):
        start(client, token, campaign)
    notify.assert_called_with(campaign.pk)
    assert live_counters(campaign)  # and the counters now see one started


def test_papers_of_closed_campaigns_are_dropped_by_the_minute_job(campaign, town):
    _person, client, _token = person_client(town)
    open_intro(client, campaign)
    TestCampaign.objects.filter(pk=campaign.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    call_command("finish_overdue", "--quiet")
    assert not PreparedPaper.objects.exists()


def test_the_command_prepares_the_whole_audience(campaign, town, capsys):
    people = [make_person(municipality=town) for _ in range(3)]
    make_person(municipality=make_municipality("Город Калуга"))  # not in the audience
    call_command("prepare_papers", str(campaign.pk))
    assert set(PreparedPaper.objects.values_list("user_id", flat=True)) == {p.pk for p in people}
    assert "Подготовлено вариантов: 3" in capsys.readouterr().out
    assert prepare_audience(campaign) == (3, 0)  # again: the papers are kept, not drawn anew
    with pytest.raises(CommandError, match="не найдено"):
        call_command("prepare_papers", "999999")


@pytest.fixture
def drawn_campaign(town):
    """A campaign whose quiz draws all three questions of a category (none protected by the quiz)."""
    category = make_category(name="Конфликт интересов")
    for i in range(3):
        make_single_choice(text=f"Из банка {i}", category=category)
    return open_campaign(town, make_quiz(draws=[(category, 3)], time_limit=30), "Тестирование по банку")


def test_a_drawn_question_deleted_before_the_start_makes_the_paper_stale(drawn_campaign, town):
    person, client, token = person_client(town)
    open_intro(client, drawn_campaign)
    drawn = PreparedPaper.objects.get(user=person).question_order
    Question.objects.get(pk=drawn[0]).delete()
    assert start_prepared(person, drawn_campaign.pk) is None  # a deleted question: stale
    data = start(client, token, drawn_campaign)
    assert data.status_code == 409  # the ordinary start: not enough questions left in the bank


def test_a_drawn_question_retired_before_the_start_makes_the_paper_stale(drawn_campaign, town):
    make_single_choice(text="Запасной", category=drawn_campaign.quiz.draws.get().category)
    person, client, token = person_client(town)
    open_intro(client, drawn_campaign)
    drawn = PreparedPaper.objects.get(user=person).question_order
    Question.objects.non_polymorphic().filter(pk=drawn[0]).update(is_retired=True)  # no version bump
    data = start(client, token, drawn_campaign).json()
    assert drawn[0] not in [q["id"] for q in data["questions"]]


def test_a_title_like_the_questions_mark_does_not_break_the_answer(campaign, town):
    campaign.title = "@@prepared-questions@@"
    campaign.save()
    _person, client, token = person_client(town)
    open_intro(client, campaign)
    data = start(client, token, campaign).json()
    assert data["title"] == "@@prepared-questions@@" and len(data["questions"]) == 8


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg: PostgreSQL")
def test_the_start_statement_stays_within_psycopgs_cache_of_parsed_queries():
    """psycopg turns a statement's %s into $n in Python, and keeps the result only for statements of
    at most 4,096 characters and 50 parameters: a longer start was parsed again at every start (0.4 ms
    of a start's CPU under the profiler). Short table aliases keep it under."""
    from psycopg import _queries

    from quizzes.services import prepared

    statement = prepared._statements().start
    assert len(statement) <= _queries.MAX_CACHED_STATEMENT_LENGTH
    assert statement.count("%s") <= _queries.MAX_CACHED_STATEMENT_PARAMS


@pytest.mark.skipif(connection.vendor == "postgresql", reason="one statement there: see the next test")
def test_a_paper_made_anew_between_the_read_and_the_copy_is_not_started(campaign, town):
    """Another tab's intro page makes the paper anew while this start is between its read and its copy:
    the copy takes nothing (the questions sent would not be the sitting's), the ordinary start runs."""
    from quizzes.services import prepared

    person, client, token = person_client(town)
    open_intro(client, campaign)
    original = prepared._datetime

    def remade_meanwhile(value):
        PreparedPaper.objects.filter(user=person).update(prepared_at=timezone.now())
        return original(value)

    with mock.patch.object(prepared, "_datetime", remade_meanwhile):
        assert start_prepared(person, campaign.pk) is None
    assert not Sitting.objects.exists()
    data = start(client, token, campaign).json()
    assert Sitting.objects.get(pk=data["id"]).question_order == [q["id"] for q in data["questions"]]


def test_the_signal_of_a_prepared_start_carries_a_saved_sitting(campaign, town):
    _person, client, token = person_client(town)
    open_intro(client, campaign)
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((created, instance.pk, instance.quiz_id, instance._state.adding, instance.state))

    from django.db.models.signals import post_save

    post_save.connect(receiver, sender=Sitting)
    try:
        data = start(client, token, campaign).json()
    finally:
        post_save.disconnect(receiver, sender=Sitting)
    assert heard == [(True, data["id"], campaign.quiz_id, False, "in_progress")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_starts_on_one_connection_run_the_plans_made_at_the_first(campaign, town):
    for _ in range(2):
        _person, client, token = person_client(town)
        open_intro(client, campaign)
        assert start(client, token, campaign).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    read = [sql for sql in prepared if sql.startswith('SELECT pp."id"')]
    start_ = [sql for sql in prepared if sql.startswith("WITH checked AS (SELECT paper.*")]
    person = [sql for sql in prepared if sql.startswith('SELECT "id", "password"')]
    # the read, the checks and the copy are one statement: no read of its own
    assert (len(read), len(start_), len(person)) == (0, 1, 1), prepared


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement start: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_paper_made_anew_while_the_start_waits_for_its_row_is_not_started(campaign, town):
    """The intro page in another tab makes the paper anew (new questions, new prepared_at) and has not
    committed when the start's statement reaches the paper: the start waits for the row, then finds it
    is no longer the paper it read, and copies nothing (the questions it read would not be the
    sitting's). The ordinary start then runs."""
    person, client, token = person_client(town)
    open_intro(client, campaign)
    remade = threading.Event()
    release = threading.Event()
    failures = []

    def remake_in_another_transaction():
        try:
            with transaction.atomic():
                PreparedPaper.objects.filter(user=person).update(prepared_at=timezone.now())
                remade.set()
                release.wait(10)  # hold the row until the start waits for it
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)
            remade.set()
        finally:
            connections.close_all()

    other = threading.Thread(target=remake_in_another_transaction)
    other.start()
    assert remade.wait(10)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (my_pid,) = cursor.fetchone()

    def release_when_the_start_waits():
        try:
            with connections["default"].cursor() as cursor:  # this thread's own connection
                for _ in range(200):
                    cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [my_pid])
                    waiting = cursor.fetchone()
                    if waiting and waiting[0] == "Lock":
                        break
                    time.sleep(0.05)
                else:
                    failures.append("the start never waited for the paper's row")
        finally:
            release.set()
            connections.close_all()

    releaser = threading.Thread(target=release_when_the_start_waits)
    releaser.start()
    started = start_prepared(person, campaign.pk)
    releaser.join(10)
    other.join(10)
    assert not failures
    assert started is None
    assert not Sitting.objects.exists() and PreparedPaper.objects.filter(user=person).exists()
    data = start(client, token, campaign).json()
    assert Sitting.objects.get(pk=data["id"]).question_order == [q["id"] for q in data["questions"]]
