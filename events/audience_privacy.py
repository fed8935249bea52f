"""Personal data of events' audiences (issue 18), registered in ``EventsConfig.ready`` like
:mod:`events.privacy`:

* Retention: ``RETENTION_EVENT_FEEDBACK_YEARS`` after feedback was last changed, its comment is
  removed (the person's own words may name them or others); the ratings stay, they are the event's
  figures. Invitations stay like registrations: they are the record of whom an event was meant for.
* Anonymizing a person removes the comments of their feedback.
* «Мои данные»: the person's invitations and their feedback with its comment (not part of the
  training record a manager sees: an opinion is the person's own).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.privacy import DataSheet, RetentionRule, register_eraser, register_provider, register_rule

from .models import EventFeedback, EventInvitation
from .models.feedback import RATINGS


def _old_comments(cutoff):
    return EventFeedback.objects.filter(updated_at__lt=cutoff).exclude(comment="")


def clear_comments_of(user_ids):
    EventFeedback.objects.filter(user_id__in=user_ids).exclude(comment="").update(comment="")


FEEDBACK_COMMENTS = RetentionRule(
    key="event_feedback_comments",
    label=gettext_lazy("Комментарии в отзывах о мероприятиях"),
    setting="RETENTION_EVENT_FEEDBACK_YEARS",
    default_years=3,
    counted_from=gettext_lazy("после того, как отзыв оставлен или изменён"),
    outcome=gettext_lazy("Комментарии удаляются, оценки остаются."),
    count=lambda cutoff: _old_comments(cutoff).count(),
    apply=lambda cutoff, now: _old_comments(cutoff).update(comment=""),
)


def my_audience_data(user):
    invitations = DataSheet(
        _("Приглашения на мероприятия"),
        [_("Мероприятие"), _("Начало"), _("Приглашён"), _("Письмо")],
        [
            [row.event.title, row.event.start, row.created_at, row.get_status_display()]
            for row in EventInvitation.objects.filter(user=user)
            .select_related("event")
            .order_by("created_at")
        ],
    )
    feedback = DataSheet(
        _("Отзывы о мероприятиях"),
        [_("Мероприятие"), *[str(label) for _name, label in RATINGS], _("Комментарий"), _("Изменён")],
        [
            [row.event.title, *[getattr(row, name) for name, _label in RATINGS], row.comment, row.updated_at]
            for row in EventFeedback.objects.filter(user=user).select_related("event").order_by("created_at")
        ],
    )
    return [invitations, feedback]


def register():
    register_rule(FEEDBACK_COMMENTS)
    register_eraser(clear_comments_of)
    register_provider(my_audience_data, order=41)
