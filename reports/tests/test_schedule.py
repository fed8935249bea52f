"""The periodic jobs run without cron: `manage.py run_schedule` (beside the dev server of `make run`)."""

import datetime
import logging
from unittest import mock

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.utils import timezone

from people.factories import make_municipality, make_person
from quizzes.factories import make_campaign, make_municipal_audience, make_quiz, make_single_choice
from quizzes.models import CampaignNotice, Sitting
from quizzes.services import start_campaign_sitting
from reports.schedule import DAY, JOBS, MINUTE, Job, due


def test_every_job_is_a_command_that_takes_quiet():
    commands = get_commands()
    for job in JOBS:
        command = load_command_class(commands[job.command], job.command)
        assert command.create_parser("manage.py", job.command).parse_args(["--quiet"]).quiet, job.command


def test_due_jobs():
    jobs = (Job("a", MINUTE), Job("b", DAY))
    assert due(jobs, {}, 1000) == list(jobs)  # never run: due at once
    assert due(jobs, {"a": 1000, "b": 1000}, 1000 + MINUTE) == [jobs[0]]
    assert due(jobs, {"a": 1000, "b": 1000}, 1000 + DAY) == list(jobs)


@pytest.mark.django_db
def test_once_runs_every_job_and_their_work_is_done(django_capture_on_commit_callbacks, caplog):
    town = make_municipality("Город Обнинск")
    now = timezone.now()
    campaign = make_campaign(make_quiz([make_single_choice()], time_limit=10), make_municipal_audience(town),
                             now - datetime.timedelta(days=2), now + datetime.timedelta(days=2),
                             notify_opening=True)  # fmt: skip
    person = make_person(municipality=town)
    abandoned = start_campaign_sitting(person, campaign, now=now - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True), caplog.at_level(logging.ERROR):
        call_command("run_schedule", "--once")
    assert "failed" not in caplog.text
    assert Sitting.objects.get(pk=abandoned.pk).state == Sitting.State.FINISHED
    assert CampaignNotice.objects.filter(user=person, kind=CampaignNotice.Kind.OPENING).exists()


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others(caplog):
    ran = []

    def fake(name, **options):
        ran.append(name)
        if name == "finish_overdue":
            raise RuntimeError("database is locked")

    faked = mock.patch("reports.management.commands.run_schedule.call_command", side_effect=fake)
    with faked, caplog.at_level(logging.ERROR):
        call_command("run_schedule", "--once")
    assert ran == [job.command for job in JOBS]
    assert "finish_overdue failed" in caplog.text
