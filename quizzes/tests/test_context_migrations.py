"""The data migrations that file sittings from before contexts under their campaign, course or event.

Each migration function is run against today's models on sittings left without a context, as they
were before the migration."""

import contextlib
import importlib

import pytest
from django.apps import apps
from django.db import connection

from courses.factories import make_course
from courses.services import enrol
from events.models.pages import FollowUpSitting
from events.tests.test_follow_up import past_event
from people.factories import make_municipality, make_person
from quizzes.factories import make_campaign, make_municipal_audience, make_quiz, make_true_false
from quizzes.models import Sitting
from quizzes.services import finish_sitting, start_sitting

# Schema changes (the check constraint is lifted while the old state is recreated) need real commits.
pytestmark = pytest.mark.django_db(transaction=True)


@contextlib.contextmanager
def without_constraint(model, name):
    """The old schema, which had no campaign-in-context check, for the length of the block."""
    constraints = model._meta.constraints
    constraint = next(c for c in constraints if c.name == name)
    # SQLite rebuilds the table from the model's constraints: take it off the model too.
    model._meta.constraints = [c for c in constraints if c is not constraint]
    try:
        with connection.schema_editor() as editor:
            editor.remove_constraint(model, constraint)
        yield
    finally:
        model._meta.constraints = constraints
        with connection.schema_editor() as editor:
            editor.add_constraint(model, constraint)


def migration(app, name):
    return importlib.import_module(f"{app}.migrations.{name}")


def old_sitting(person, quiz, **fields):
    """A finished sitting as it was before contexts: none."""
    sitting = start_sitting(person, quiz)
    finish_sitting(sitting)
    Sitting.objects.filter(pk=sitting.pk).update(**fields)
    return sitting


def context_of(sitting):
    return Sitting.objects.get(pk=sitting.pk).context


def test_campaign_course_and_event_sittings_get_their_contexts():
    from django.utils import timezone

    person = make_person(municipality=make_municipality())
    quiz = make_quiz([make_true_false()], attempts_allowed=0)
    now = timezone.now()
    campaign = make_campaign(
        quiz, make_municipal_audience(person.municipality), now, now + timezone.timedelta(days=1)
    )
    course = make_course(final_quiz=quiz)
    enrol(person, course)
    final = old_sitting(person, quiz)
    event = past_event(quiz)
    follow_up = old_sitting(person, quiz)
    FollowUpSitting.objects.create(sitting=follow_up, event=event)
    with without_constraint(Sitting, "sitting_campaign_in_context"):
        in_campaign = old_sitting(person, quiz, campaign=campaign)
        Sitting.objects.update(context="")
        migration("quizzes", "0004_sitting_context").campaign_contexts(apps, None)
    migration("events", "0004_follow_up_sitting_context").follow_up_contexts(apps, None)
    migration("courses", "0004_final_quiz_sitting_context").final_quiz_contexts(apps, None)

    assert context_of(in_campaign) == f"campaign:{campaign.pk}"
    assert context_of(follow_up) == f"event:{event.pk}"
    assert context_of(final) == f"course:{course.pk}"
