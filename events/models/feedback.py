"""Feedback after an event (issue 18): a few ratings from 1 to 5 and an optional comment.

One row per event and person (a unique constraint). Who may leave it and until when is decided in
:mod:`events.feedback`; the organizer sees the results without names.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RATING_MIN, RATING_MAX = 1, 5
COMMENT_MAX_LENGTH = 2000
# The ratings of the form, in its order: (field, question as the person sees it).
RATINGS = (
    ("usefulness", _("Полезность: насколько пригодится в работе")),
    ("clarity", _("Понятность изложения")),
    ("organization", _("Организация мероприятия")),
)


def _rating(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
    )


class EventFeedback(models.Model):
    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("участник"),
        on_delete=models.CASCADE,
        related_name="event_feedback",
    )
    usefulness = _rating(_("полезность"))
    clarity = _rating(_("понятность"))
    organization = _rating(_("организация"))
    comment = models.TextField(_("комментарий"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("оставлен"), default=timezone.now)
    updated_at = models.DateTimeField(_("изменён"), default=timezone.now)

    class Meta:
        verbose_name = _("отзыв о мероприятии")
        verbose_name_plural = _("отзывы о мероприятиях")
        ordering = ["event", "-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint("event", "user", name="eventfeedback_once_per_person"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": RATING_MIN, f"{name}__lte": RATING_MAX}),
                    name=f"eventfeedback_{name}_1_5",
                )
                for name, _label in RATINGS
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.event}"
