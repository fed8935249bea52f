"""Feedback after an event (issue 18): three ratings from 1 to 5 and an optional comment.

Who: the people known to have been there — checked in personally or named in a broadcast room's report
(:meth:`EventPage.attended`, the rule of the follow-up quiz). An event where nobody was checked in at
all (the organizers did not use the check-in) falls back to the people registered with a seat: that
is all the platform knows of who came.

When: from the end of the event for :data:`FEEDBACK_DAYS` days. Within that time the person may change
their feedback (one per person and event: a unique constraint; sending the form again updates it);
afterwards it is closed.

Results for the organizers (every answer) and the managers (the answers of the people of their
scope): the count, each rating's average and distribution, and the comments — never with names.
"""

import datetime

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .exceptions import FeedbackClosed, FeedbackNotForYou, FeedbackNotOpenYet
from .models import EventFeedback, EventPage
from .models.feedback import COMMENT_MAX_LENGTH, RATING_MAX, RATING_MIN, RATINGS

FEEDBACK_DAYS = 30
RATING_CHOICES = [(value, str(value)) for value in range(RATING_MIN, RATING_MAX + 1)]


def closes_at(event):
    return event.end + datetime.timedelta(days=FEEDBACK_DAYS)


def uses_check_in(event):
    """Did the organizers record who came (a personal check-in or a broadcast room's report)?"""
    return event.attendances.exists() or event.broadcast_rooms.exists()


def is_participant(event, user):
    """Attended; or, at an event with no check-in at all, registered with a seat."""
    if not user.is_authenticated:
        return False
    if event.attended(user):
        return True
    return not uses_check_in(event) and event.registrations.registered().filter(user=user).exists()


def check_may_give(event, user, now=None):
    """Raise the reason why ``user`` may not leave (or change) feedback on ``event`` now, if any."""
    now = now or timezone.now()
    if not event.has_ended(now):
        raise FeedbackNotOpenYet
    if not is_participant(event, user):
        raise FeedbackNotForYou
    if now > closes_at(event):
        raise FeedbackClosed


def may_give(event, user, now=None):
    try:
        check_may_give(event, user, now)
    except (FeedbackNotOpenYet, FeedbackNotForYou, FeedbackClosed):
        return False
    return True


def _rating_field(label):
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Поставьте оценку от 1 до 5."),
            "invalid_choice": _("Оценка — число от 1 до 5."),
        },
    )


class FeedbackForm(forms.Form):
    usefulness = _rating_field(dict(RATINGS)["usefulness"])
    clarity = _rating_field(dict(RATINGS)["clarity"])
    organization = _rating_field(dict(RATINGS)["organization"])
    comment = forms.CharField(
        label=_("Комментарий (необязательно)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Что было полезно, чего не хватило, какие темы разобрать в следующий раз. Организаторы видят "
            "комментарии без имён."
        ),
        error_messages={"max_length": _("Комментарий длиннее %(limit_value)d символов, сократите его.")},
    )

    @classmethod
    def for_feedback(cls, feedback, data=None):
        initial = {}
        if feedback is not None:
            initial = {name: getattr(feedback, name) for name, _label in RATINGS}
            initial["comment"] = feedback.comment
        return cls(data, initial=initial)

    def rating_fields(self):
        return [self[name] for name, _label in RATINGS]


def feedback_of(event, user):
    if not user.is_authenticated:
        return None
    return EventFeedback.objects.filter(event=event, user=user).first()


def save_feedback(event, user, values, now=None):
    """Create or update the person's feedback from cleaned ``values``; checks who and when first."""
    now = now or timezone.now()
    check_may_give(event, user, now)
    fields = {name: values[name] for name, _label in RATINGS}
    fields["comment"] = (values.get("comment") or "").strip()
    with transaction.atomic():
        feedback = EventFeedback.objects.select_for_update().filter(event=event, user=user).first()
        if feedback is None:
            try:
                with transaction.atomic():
                    return EventFeedback.objects.create(
                        event=event, user=user, created_at=now, updated_at=now, **fields
                    )
            except IntegrityError:  # a second tab sent it at the same moment: update that one
                feedback = EventFeedback.objects.select_for_update().get(event=event, user=user)
        for name, value in fields.items():
            setattr(feedback, name, value)
        feedback.updated_at = now
        feedback.save()
    return feedback


def results(event, scope):
    """The feedback on ``event`` of the people ``scope`` covers, without names: ``count``, per rating
    its ``average`` and ``distribution`` (count per mark 5…1), and the non-empty ``comments``
    (newest first)."""
    answers = scope.filter(EventFeedback.objects.filter(event=event), "user__municipality")
    count = answers.count()
    averages = answers.aggregate(**{name: Avg(name) for name, _label in RATINGS})
    ratings = []
    for name, label in RATINGS:
        marks = dict(answers.values_list(name).annotate(n=Count("pk")).order_by())
        distribution = [
            {
                "mark": mark,
                "count": marks.get(mark, 0),
                "share": round(marks.get(mark, 0) * 100 / count) if count else 0,
            }
            for mark in range(RATING_MAX, RATING_MIN - 1, -1)
        ]
        average = averages[name]
        ratings.append(
            {
                "name": name,
                "label": label,
                "average": round(average, 2) if average is not None else None,
                "distribution": distribution,
            }
        )
    comments = list(
        answers.exclude(comment="").order_by("-updated_at", "-pk").values_list("comment", flat=True)
    )
    return {"count": count, "ratings": ratings, "comments": comments}


def waiting_for(user, now=None):
    """Ended live events (within the feedback time) where ``user`` may leave feedback, most recent
    first, each with ``given`` (their feedback or None)."""
    now = now or timezone.now()
    candidates = EventPage.objects.live().filter(
        end__lte=now, end__gt=now - datetime.timedelta(days=FEEDBACK_DAYS)
    )
    candidates = candidates.filter(
        pk__in=EventPage.objects.attended_by(user).values("pk")
    ) | candidates.filter(registrations__user=user, registrations__status="registered")
    events = []
    given = dict(EventFeedback.objects.filter(user=user).values_list("event_id", "pk"))
    for event in candidates.distinct().order_by("-end"):
        if is_participant(event, user):
            event.given_feedback = given.get(event.pk)
            events.append(event)
    return events
