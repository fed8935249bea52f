"""Test campaigns (дистанционное тестирование): a quiz opened to an audience for a time window.

The campaign's audience defines the **expected participants**; results are reported against it
per municipality and organization, and against the linked plan items.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Audience

from .operations import MAX_EXTRA_MINUTES
from .quizzes import Quiz

_FACTS_PREFIX = "audience_"  # of the annotations with_membership_of() adds
MAX_REMIND_DAYS = 30


class TestCampaignQuerySet(models.QuerySet):
    def open_now(self, now=None):
        now = now or timezone.now()
        return self.filter(is_published=True, opens_at__lte=now, closes_at__gt=now)

    def published(self):
        return self.filter(is_published=True)

    def with_extra_time_for(self, user):
        """Annotate each campaign with ``user``'s extra minutes: ``extra_time_for(user)`` needs no query.

        Raw SQL, like :meth:`with_membership_of`: every start builds it, and an ORM subquery costs
        more CPU to compile. (Both refer to the campaign table by name: not for a query that joins
        it twice.)
        """
        quote = connection.ops.quote_name
        minutes = (
            f"SELECT {quote('minutes')} FROM {quote(ExtraTime._meta.db_table)}"
            f" WHERE {quote('campaign_id')} = {_column('id')} AND {quote('user_id')} = %s"
        )  # at most one row: one per person and campaign
        return self.annotate(
            extra_minutes_of_user=models.Value(user.pk),
            extra_minutes=RawSQL(minutes, [user.pk], output_field=models.PositiveIntegerField()),
        )

    def with_membership_of(self, user):
        """Annotate each campaign with what its audience's rule needs to know about ``user``:
        ``admits(user)`` needs no query (use with ``select_related("audience")``)."""
        return self.annotate(
            audience_facts_of_user=models.Value(user.pk),
            **Audience.membership_facts(_column("audience_id"), user, prefix=_FACTS_PREFIX),
        )

    def for_start_by(self, user):
        """Published campaigns with their quiz and audience, and what starting one needs to know about
        ``user`` (audience membership, extra time): a start reads its campaign in one query."""
        return (
            self.published()
            .select_related("quiz", "audience")
            .with_extra_time_for(user)
            .with_membership_of(user)
        )

    def for_person(self, user):
        """Published campaigns whose audience includes ``user`` (a list, newest first), in one query."""
        campaigns = (
            self.published().select_related("quiz", "audience").with_membership_of(user).order_by("-opens_at")
        )
        return [campaign for campaign in campaigns if campaign.admits(user)]


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
    notify_opening = models.BooleanField(
        _("Сообщить аудитории об открытии"),
        default=False,
        help_text=_("Письмо и запись в «Моём кабинете» каждому из аудитории при открытии."),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("Напомнить не завершившим за N дней до закрытия"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REMIND_DAYS)],
        help_text=_("От 1 до 30 дней. Пусто — не напоминать."),
    )
    notify_result = models.BooleanField(
        _("Сообщить результат"),
        default=False,
        help_text=_("Процент и «пройден / не пройден» после проверки, со ссылкой на результат."),
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

    def admits(self, user, today=None):
        """Is ``user`` in this campaign's audience? No query when read ``with_membership_of(user)``."""
        if getattr(self, "audience_facts_of_user", None) == user.pk:
            facts = {name: getattr(self, _FACTS_PREFIX + name) for name in Audience.MEMBERSHIP_FACTS}
            return self.audience.includes(user, today, facts=facts)
        return self.audience.includes(user, today)

    def extra_time_for(self, user):
        """The per-person extra time (a timedelta) or None."""
        if getattr(self, "extra_minutes_of_user", None) == user.pk:  # see with_extra_time_for()
            minutes = self.extra_minutes
            return None if minutes is None else datetime.timedelta(minutes=minutes)
        extra = self.extra_times.filter(user=user).first()
        return extra.duration if extra else None


def _column(name):
    """A column of the campaign table as raw SQL in an annotation sees it."""
    quote = connection.ops.quote_name
    return f"{quote(TestCampaign._meta.db_table)}.{quote(name)}"


class ExtraTime(models.Model):
    """More time for one person in one campaign (e.g. a disability accommodation)."""

    campaign = models.ForeignKey(
        TestCampaign, verbose_name=_("тестирование"), on_delete=models.CASCADE, related_name="extra_times"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("слушатель"), on_delete=models.CASCADE, related_name="+"
    )
    minutes = models.PositiveIntegerField(
        _("дополнительно, мин"), validators=[MinValueValidator(1), MaxValueValidator(MAX_EXTRA_MINUTES)]
    )

    class Meta:
        verbose_name = _("дополнительное время")
        verbose_name_plural = _("дополнительное время")
        constraints = [models.UniqueConstraint("campaign", "user", name="extratime_unique_person")]

    def __str__(self):
        return f"{self.user}: +{self.minutes}"

    @property
    def duration(self):
        return datetime.timedelta(minutes=self.minutes)
