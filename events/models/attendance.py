"""Who was there: personal check-ins and the head counts of broadcast rooms in municipalities.

Totals per municipality that combine both without counting a person twice are in
:mod:`events.attendance`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# People in one broadcast room: a municipality's hall, not a stadium. A larger figure is a typo, and
# without a bound one report could add billions to the region's totals.
MAX_HEAD_COUNT = 1000


class Attendance(models.Model):
    class Method(models.TextChoices):
        CODE = "code", _("по коду присутствия")
        ORGANIZER = "organizer", _("отмечен организатором")

    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("участник"),
        on_delete=models.CASCADE,
        related_name="event_attendances",
    )
    method = models.CharField(_("способ отметки"), max_length=20, choices=Method.choices, default=Method.CODE)
    checked_in_at = models.DateTimeField(_("время отметки"), default=timezone.now)

    class Meta:
        verbose_name = _("присутствие на мероприятии")
        verbose_name_plural = _("присутствие на мероприятиях")
        ordering = ["event", "checked_in_at"]
        constraints = [models.UniqueConstraint("event", "user", name="attendance_unique_event_user")]

    def __str__(self):
        return f"{self.user} — {self.event}"


class BroadcastRoomQuerySet(models.QuerySet):
    def for_event(self, event):
        return self.filter(event=event).select_related("municipality", "coordinator")


class BroadcastRoom(models.Model):
    """A room in a municipality where people watched a broadcast together; one report per municipality."""

    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="broadcast_rooms",
    )
    municipality = models.ForeignKey(
        "people.Municipality",
        verbose_name=_("муниципальное образование"),
        on_delete=models.PROTECT,
        related_name="broadcast_rooms",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответственный"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_broadcast_rooms",
    )
    room = models.CharField(_("зал, адрес"), max_length=500, blank=True)
    head_count = models.PositiveIntegerField(
        _("число присутствовавших"), default=0, validators=[MaxValueValidator(MAX_HEAD_COUNT)]
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("участники поимённо"),
        blank=True,
        related_name="broadcast_rooms_attended",
    )
    reported_at = models.DateTimeField(_("время отчёта"), default=timezone.now)

    objects = BroadcastRoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("зал трансляции")
        verbose_name_plural = _("залы трансляции")
        ordering = ["event", "municipality__name"]
        constraints = [
            models.UniqueConstraint("event", "municipality", name="broadcastroom_unique_event_municipality"),
            models.CheckConstraint(
                condition=models.Q(head_count__gte=0), name="broadcastroom_head_count_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(head_count__lte=MAX_HEAD_COUNT), name="broadcastroom_head_count_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.event} — {self.municipality}"
