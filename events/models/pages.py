"""Event pages in the Wagtail tree: an index of events and one page per seminar, broadcast or contest."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from cms.blocks import BaseStreamBlock
from people.scope import Scope

# Check-in codes use letters and digits that cannot be mistaken for one another when read off a
# projector screen (no 0/O/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V). Every letter here also has a Cyrillic
# twin on the Russian keyboard layout, which :func:`normalize_check_in_code` maps back.
CHECK_IN_ALPHABET = "ACDEFHJKMNPRTWXY3479"
CHECK_IN_CODE_LENGTH = 6
CYRILLIC_TWINS = str.maketrans("АСЕНКМРТХУ", "ACEHKMPTXY")

# Personal check-in opens this long before the start and closes at the end.
CHECK_IN_OPENS_BEFORE = datetime.timedelta(minutes=30)


def new_check_in_code():
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(CHECK_IN_CODE_LENGTH))


def normalize_check_in_code(code):
    """What a person typed, in the alphabet of codes: upper case, no spaces or dashes, Latin letters."""
    cleaned = "".join(str(code or "").split()).replace("-", "").upper()
    return cleaned.translate(CYRILLIC_TWINS)


class EventIndexPage(Page):
    intro = RichTextField(_("вступление"), blank=True)
    show_in_menus_default = True

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("список мероприятий")
        verbose_name_plural = _("списки мероприятий")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        events = EventPage.objects.live().public().child_of(self)
        context["upcoming_events"] = events.upcoming(now)
        context["past_events"] = events.past(now)[:50]
        return context


class EventPageQuerySet(PageQuerySet):
    def upcoming(self, now=None):
        """Events that have not ended yet (those going on now included), soonest first."""
        return self.filter(end__gt=now or timezone.now()).order_by("start")

    def past(self, now=None):
        return self.filter(end__lte=now or timezone.now()).order_by("-start")


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


class EventPage(Page):
    class Kind(models.TextChoices):
        SEMINAR = "seminar", _("семинар")
        VIDEOCONFERENCE = "videoconference", _("видеоконференция")
        WEBINAR = "webinar", _("вебинар")
        ROUND_TABLE = "round_table", _("круглый стол")
        CONTEST = "contest", _("конкурс")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("очно")
        ONLINE = "online", _("онлайн-трансляция")
        HYBRID = "hybrid", _("очно и онлайн")

    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices, default=Kind.SEMINAR)
    format = models.CharField(_("формат"), max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    start = models.DateTimeField(_("начало"))
    end = models.DateTimeField(_("окончание"))
    venue = models.CharField(
        _("место проведения"),
        max_length=500,
        blank=True,
        help_text=_("Адрес и зал; для онлайн-трансляции — пусто."),
    )
    broadcast_url = models.URLField(
        _("ссылка на трансляцию"),
        max_length=500,
        blank=True,
        help_text=_(
            "Адрес видеоконференции или трансляции. Видна только организаторам и зарегистрированным "
            "участникам на странице трансляции, как ссылка, без встраивания."
        ),
    )
    audience_text = models.TextField(
        _("для кого"),
        blank=True,
        help_text=_("Например: специалисты кадровых служб органов местного самоуправления."),
    )
    plan_items = ParentalManyToManyField(
        "cms.PlanItem", verbose_name=_("мероприятия плана"), blank=True, related_name="events"
    )
    agenda = RichTextField(_("программа"), blank=True)
    materials = StreamField(BaseStreamBlock(), verbose_name=_("материалы"), blank=True)
    capacity = models.PositiveIntegerField(
        _("число мест"), null=True, blank=True, help_text=_("Пусто — без ограничения числа участников.")
    )
    registration_deadline = models.DateTimeField(_("регистрация до"), null=True, blank=True)
    registration_open = models.BooleanField(_("регистрация открыта"), default=True)
    check_in_code = models.CharField(
        _("код присутствия"),
        max_length=CHECK_IN_CODE_LENGTH,
        blank=True,
        help_text=_("Создаётся автоматически; участники вводят его, чтобы отметиться."),
    )

    objects = EventPageManager()

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("format")]),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("Время проведения")),
        FieldPanel("venue"),
        FieldPanel("broadcast_url"),
        FieldPanel("audience_text"),
        InlinePanel("speakers", label=_("Выступающие")),
        FieldPanel("agenda"),
        FieldPanel("materials"),
        FieldPanel("plan_items"),
        MultiFieldPanel(
            [
                FieldPanel("registration_open"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_deadline")]),
                FieldPanel("check_in_code", read_only=True),
            ],
            heading=_("Регистрация и присутствие"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("agenda"),
        index.SearchField("audience_text"),
        index.SearchField("venue"),
        index.FilterField("start"),
        index.FilterField("end"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    exclude_fields_in_copy = ["check_in_code"]

    class Meta:
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="eventpage_end_after_start"
            ),
        ]

    def save(self, *args, **kwargs):
        if not self.check_in_code:
            self.check_in_code = new_check_in_code()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("Окончание должно быть позже начала.")
        if self.start and self.registration_deadline and self.registration_deadline > self.start:
            errors["registration_deadline"] = _("Регистрация должна закончиться не позже начала мероприятия.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_broadcast(self):
        """Online or hybrid: municipalities may gather people in broadcast rooms."""
        return self.format != self.Format.IN_PERSON

    def has_started(self, now=None):
        return (now or timezone.now()) >= self.start

    def has_ended(self, now=None):
        return (now or timezone.now()) >= self.end

    @property
    def check_in_opens_at(self):
        return self.start - CHECK_IN_OPENS_BEFORE

    def is_check_in_open(self, now=None):
        now = now or timezone.now()
        return self.check_in_opens_at <= now <= self.end

    def check_in_code_matches(self, code):
        return bool(self.check_in_code) and secrets.compare_digest(
            normalize_check_in_code(code).encode(), self.check_in_code.encode()
        )

    def accepts_registrations(self, now=None):
        now = now or timezone.now()
        return (
            self.registration_open
            and not self.has_started(now)
            and (self.registration_deadline is None or now <= self.registration_deadline)
        )

    def seats_taken(self):
        return self.registrations.registered().count()

    def seats_left(self):
        """Free seats, or None when the number of participants is not limited."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken(), 0)

    def can_organize(self, user):
        """Organizers are the people who may edit the page in the Wagtail admin."""
        return user.is_authenticated and self.permissions_for_user(user).can_edit()

    def attendance_scope(self, user):
        """Whose registrations and attendance ``user`` may see here: all for organizers, else their scope."""
        if self.can_organize(user):
            return Scope(user, everything=True)
        return Scope.for_user(user)

    def can_watch(self, user):
        """The stream page (broadcast link, check-in code) is for organizers and registered participants."""
        if not (self.has_broadcast and user.is_authenticated):
            return False
        return self.can_organize(user) or self.registrations.registered().filter(user=user).exists()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.visitor_context(request.user))
        return context

    def visitor_context(self, user, now=None):
        """What the event page shows to this person: their registration, check-in and tools."""
        now = now or timezone.now()
        registration = attendance = None
        if user.is_authenticated:
            registration = self.registrations.filter(user=user).first()
            attendance = self.attendances.filter(user=user).first()
        return {
            "registration": registration,
            "attendance": attendance,
            "seats_left": self.seats_left(),
            "accepts_registrations": self.accepts_registrations(now),
            "check_in_open": self.is_check_in_open(now),
            "is_organizer": self.can_organize(user),
            "can_watch": self.can_watch(user),
            "can_see_attendance": user.is_authenticated and not self.attendance_scope(user).is_empty,
        }


class EventSpeaker(Orderable):
    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("фамилия, имя, отчество"), max_length=255, blank=True)
    position = models.CharField(_("должность"), max_length=500, blank=True)
    organization = models.CharField(_("организация"), max_length=500, blank=True)

    panels = [FieldPanel("name"), FieldPanel("position"), FieldPanel("organization")]

    class Meta(Orderable.Meta):
        verbose_name = _("выступающий")
        verbose_name_plural = _("выступающие")

    def __str__(self):
        return ", ".join(part for part in (self.name, self.position, self.organization) if part)

    def clean(self):
        if not (self.name or self.position or self.organization):
            raise ValidationError(_("Укажите имя, должность или организацию выступающего."))
