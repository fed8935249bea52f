"""Figures never go stale: a sitting left in progress past its deadline counts as finished at the
deadline on every manager page, whether or not the periodic job (finish_overdue) has run."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from people.factories import make_municipal_manager, make_municipality, make_person, make_regional_manager
from quizzes.factories import (
    correct_answer,
    make_campaign,
    make_municipal_audience,
    make_quiz,
    make_single_choice,
)
from quizzes.models import Sitting
from quizzes.services import catch_up, save_answer, start_campaign_sitting

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def abandoned():
    """A campaign closed yesterday; a servant answered right two days ago and never pressed «Завершить»."""
    town = make_municipality("Город Обнинск")
    quiz = make_quiz([make_single_choice()], time_limit=30, pass_mark=60)
    campaign = make_campaign(
        quiz,
        make_municipal_audience(town),
        NOW - datetime.timedelta(days=3),
        NOW - datetime.timedelta(days=1),
        title="Тестирование муниципальных служащих",
    )
    person = make_person(municipality=town, last_name="Смирнова", first_name="Ольга")
    when = NOW - datetime.timedelta(days=2)
    sitting = start_campaign_sitting(person, campaign, now=when)
    question_id = sitting.question_order[0]
    save_answer(sitting, question_id, correct_answer(sitting.question_snapshot(question_id)), 1, now=when)
    assert Sitting.objects.get(pk=sitting.pk).state == Sitting.State.IN_PROGRESS  # no job has run
    return {"town": town, "campaign": campaign, "sitting": sitting, "person": person}


def test_the_campaign_pages_count_it_finished_at_its_deadline(client, abandoned):
    campaign = abandoned["campaign"]
    client.force_login(make_municipal_manager(abandoned["town"]))

    results = client.get(reverse("quizzes_manage:results", args=[campaign.pk]))
    assert results.status_code == 200
    total = results.context["total"]
    assert (total.started, total.finished, total.passed) == (1, 1, 1)
    people = client.get(reverse("quizzes_manage:people", args=[campaign.pk])).content.decode()
    assert "проходит" not in people and "завершил" in people

    sitting = Sitting.objects.get(pk=abandoned["sitting"].pk)
    assert sitting.state == Sitting.State.FINISHED
    assert sitting.finished_at == sitting.deadline  # at the deadline, not when somebody looked
    assert (sitting.percent, sitting.passed) == (100, True)


def test_the_dashboard_counts_it_too(client, abandoned):
    client.force_login(make_regional_manager())
    response = client.get(reverse("reports:dashboard"), {"year": NOW.year})
    assert response.status_code == 200
    assert Sitting.objects.get(pk=abandoned["sitting"].pk).state == Sitting.State.FINISHED


def test_a_sitting_still_within_its_time_is_left_alone(abandoned):
    running = start_campaign_sitting(make_person(municipality=abandoned["town"]), abandoned["campaign"],
                                     now=NOW - datetime.timedelta(days=1, minutes=10))  # fmt: skip
    # closes in 10 minutes, deadline the close: looked at before that, still in progress
    assert catch_up(now=NOW - datetime.timedelta(days=1, minutes=5)) == 1  # only the abandoned one
    assert Sitting.objects.get(pk=running.pk).state == Sitting.State.IN_PROGRESS


def test_a_large_backlog_is_handed_to_the_task_queue(abandoned):
    town, campaign = abandoned["town"], abandoned["campaign"]
    for _ in range(2):
        start_campaign_sitting(make_person(municipality=town), campaign, now=NOW - datetime.timedelta(days=2))
    with mock.patch("quizzes.tasks.finish_overdue_sittings") as task:
        assert catch_up(limit=2) == 2
    task.enqueue.assert_called_once()
    assert Sitting.objects.filter(state=Sitting.State.IN_PROGRESS).count() == 1
