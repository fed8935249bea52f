"""Test campaigns (дистанционное тестирование): a quiz opened to an audience for a time window.

The campaign's audience defines the **expected participants**; results are reported against it
per municipality and organization, and against the linked plan items.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .quizzes import Quiz


class TestCampaignQuerySet(models.QuerySet):
    def open_now(self, now=None):
        now = now or timezone.now()
        return self.filter(is_published=True, opens_at__lte=now, closes_at__gt=now)

    def published(self):
        return self.filter(is_published=True)

    def with_extra_time_for(self, user):
        """Annotate each campaign with ``user``'s extra minutes: ``extra_time_for(user)`` needs no query."""
        minutes = ExtraTime.objects.filter(campaign=models.OuterRef("pk"), user=user).values("minutes")[:1]
        return self.annotate(
            extra_minutes_of_user=models.Value(user.pk), extra_minutes=models.Subquery(minutes)
        )

    def for_person(self, user):
        """Published campaigns whose audience includes ``user`` (a list, newest first)."""
        campaigns = self.published().select_related("quiz", "audience").order_by("-opens_at")
        return [campaign for campaign in campaigns if campaign.audience.includes(user)]


class TestCampaign(models.Model):
    __test__ = False  # not a pytest test class despite the name

    title = models.CharField(_("название"), max_length=255)
    description = models.TextField(_("описание"), blank=True)
    quiz = models.ForeignKey(Quiz, verbose_name=_("тест"), on_delete=models.PROTECT, related_name="campaigns")
    opens_at = models.DateTimeField(_("открывается"))
    closes_at = models.DateTimeField(_("закрывается"))
    audience = models.ForeignKey(
        "people.Audience",
        verbose_name=_("аудитория"),
        on_delete=models.PROTECT,
        related_name="test_campaigns",
        help_text=_("Кто должен пройти тестирование: ожидаемые участники."),
    )
    plan_items = models.ManyToManyField(
        "cms.PlanItem", verbose_name=_("мероприятия плана"), related_name="test_campaigns", blank=True
    )
    is_published = models.BooleanField(
        _("опубликовано"), default=True, help_text=_("Неопубликованное тестирование не видно слушателям.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("создал"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)

    objects = TestCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("дистанционное тестирование")
        verbose_name_plural = _("дистанционные тестирования")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="testcampaign_window_order"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Тестирование должно закрываться позже, чем открывается.")})

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at

    def has_closed(self, now=None):
        return (now or timezone.now()) >= self.closes_at

    def expected_participants(self):
        return self.audience.members()

    def extra_time_for(self, user):
        """The per-person extra time (a timedelta) or None."""
        if getattr(self, "extra_minutes_of_user", None) == user.pk:  # see with_extra_time_for()
            minutes = self.extra_minutes
            return None if minutes is None else datetime.timedelta(minutes=minutes)
        extra = self.extra_times.filter(user=user).first()
        return extra.duration if extra else None


class ExtraTime(models.Model):
    """More time for one person in one campaign (e.g. a disability accommodation)."""

    campaign = models.ForeignKey(
        TestCampaign, verbose_name=_("тестирование"), on_delete=models.CASCADE, related_name="extra_times"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("слушатель"), on_delete=models.CASCADE, related_name="+"
    )
    minutes = models.PositiveIntegerField(_("дополнительно, мин"))

    class Meta:
        verbose_name = _("дополнительное время")
        verbose_name_plural = _("дополнительное время")
        constraints = [models.UniqueConstraint("campaign", "user", name="extratime_unique_person")]

    def __str__(self):
        return f"{self.user}: +{self.minutes}"

    @property
    def duration(self):
        return datetime.timedelta(minutes=self.minutes)
