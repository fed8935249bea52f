"""Event pages in the Wagtail tree: an index of events and one page per seminar, broadcast or contest."""

import dataclasses
import datetime
import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as route_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from cms.blocks import BaseStreamBlock
from cms.slugs import TransliteratedSlugMixin
from cms.widgets import PlanItemsWidget
from people.models import User
from people.roles import Role, roles_of
from people.scope import Scope
from quizzes.cabinet import MyState as FollowUpState
from quizzes.contexts import EVENT, context_key
from quizzes.exceptions import QuizError
from quizzes.models import Quiz, Sitting
from quizzes.services import finish_sitting, start_sitting

from ..exceptions import EventError
from .attendance import Attendance, BroadcastRoom

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


class EventIndexPage(TransliteratedSlugMixin, Page):
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

    def attended_by(self, user):
        """Events where ``user`` checked in personally or was named among a broadcast room's participants."""
        return self.filter(
            models.Q(pk__in=Attendance.objects.filter(user=user).values("event"))
            | models.Q(
                pk__in=BroadcastRoom.participants.through.objects.filter(user=user).values(
                    "broadcastroom__event"
                )
            )
        )

    def with_follow_up_for(self, user, now=None):
        """Ended live events with a follow-up quiz that ``user`` attended, most recent first."""
        return (
            self.live()
            .filter(follow_up_quiz__isnull=False, end__lte=now or timezone.now())
            .attended_by(user)
            .select_related("follow_up_quiz")
            .order_by("-end")
        )


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


class FollowUpNotAvailable(EventError):
    default_message = _("Тест по итогам доступен участникам мероприятия после его окончания.")


@dataclasses.dataclass
class FollowUp:
    """The follow-up quiz of one event as one participant sees it."""

    event: "EventPage"
    quiz: Quiz
    sitting: Sitting | None  # the one in progress, else the latest one started from this event
    attempts_left: int | None  # None: unlimited

    @property
    def state(self):
        return self.sitting.state if self.sitting else FollowUpState.NOT_STARTED

    @property
    def is_done(self):
        """Passed, or finished and waiting for a trainer: nothing more to do."""
        if self.state == FollowUpState.NEEDS_GRADING:
            return True
        return self.state == FollowUpState.FINISHED and bool(self.sitting.passed)

    @property
    def can_start(self):
        """May the person start (or resume) a sitting now?"""
        return self.state == FollowUpState.IN_PROGRESS or self.attempts_left is None or self.attempts_left > 0

    @property
    def is_pending(self):
        """Something to do: not taken yet, in progress, or failed with attempts left."""
        return self.can_start and not self.is_done

    @property
    def start_url(self):
        return self.event.url + self.event.reverse_subpage("follow_up")


# Who may choose an event's audience in the page editor: those who see audiences (regional managers).
AUDIENCE_PERMISSION = "people.view_audience"

# Roles that organize every event (see EventPage.can_organize).
ORGANIZING_ROLES = frozenset({Role.ORGANIZER, Role.REGIONAL_MANAGER})


class EventPage(TransliteratedSlugMixin, RoutablePageMixin, Page):
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

    class RegistrationMode(models.TextChoices):
        OPEN = "open", _("открыта для всех")
        AUDIENCE = "audience", _("только для аудитории мероприятия")

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
    # The audience (issue 18): the same rule as campaigns. Its active members are the expected
    # participants; the organizer invites them, and registration may be limited to them.
    audience = models.ForeignKey(
        "people.Audience",
        verbose_name=_("аудитория"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text=_(
            "Для кого проводится мероприятие: по ней считают ожидаемых участников и рассылают "
            "приглашения. Пусто — аудитория не задана."
        ),
    )
    registration_mode = models.CharField(
        _("регистрация"),
        max_length=20,
        choices=RegistrationMode.choices,
        default=RegistrationMode.OPEN,
        help_text=_("«Только для аудитории»: остальные увидят объяснение и не смогут зарегистрироваться."),
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
    # PROTECT, as for a course's final quiz: a quiz that participants are asked to take after a
    # published event must not vanish from its page because someone deleted it in the bank; the
    # editor unlinks it here first (or the deletion dialog names this event).
    follow_up_quiz = models.ForeignKey(
        "quizzes.Quiz",
        verbose_name=_("тест по итогам"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_of_events",
        help_text=_(
            "Тест по итогам мероприятия. После окончания его могут пройти участники, которые "
            "отметились лично или названы поимённо в отчёте зала трансляции. Пусто — теста нет."
        ),
    )

    objects = EventPageManager()

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("format")]),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("Время проведения")),
        FieldPanel("venue"),
        FieldPanel("broadcast_url"),
        FieldPanel("audience_text"),
        # Choosing an audience is the authorized body's (trainers see no audiences): others edit the
        # page without these fields, and the values stay as they are.
        MultiFieldPanel(
            [
                FieldPanel("audience", permission=AUDIENCE_PERMISSION),
                FieldPanel("registration_mode", permission=AUDIENCE_PERMISSION),
            ],
            heading=_("Аудитория мероприятия"),
            permission=AUDIENCE_PERMISSION,
        ),
        InlinePanel("speakers", label=_("Выступающие")),
        FieldPanel("agenda"),
        FieldPanel("materials"),
        FieldPanel("follow_up_quiz"),
        FieldPanel("plan_items", widget=PlanItemsWidget),
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
    # events/event_page.html plus the follow-up quiz section (events/_follow_up.html).
    template = "events/event_page_follow_up.html"

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
        if self.registration_mode == self.RegistrationMode.AUDIENCE and self.audience_id is None:
            errors["registration_mode"] = _("Чтобы ограничить регистрацию аудиторией, выберите аудиторию.")
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

    @property
    def registration_limited(self):
        """Only the audience's members may register."""
        return self.registration_mode == self.RegistrationMode.AUDIENCE and self.audience_id is not None

    def expected_participants(self):
        """The audience's active members (leavers drop out, as from a campaign); nobody without one."""
        if self.audience_id is None:
            return User.objects.none()
        return self.audience.members()

    def in_audience(self, user):
        """Is ``user`` a member of the event's audience (False without an audience)?"""
        if self.audience_id is None or not user.is_authenticated:
            return False
        return self.audience.includes(user)

    def admits(self, user):
        """May ``user`` register, as far as the audience goes (open registration: everybody)?"""
        return not self.registration_limited or self.in_audience(user)

    def seats_taken(self):
        return self.registrations.registered().count()

    def seats_left(self):
        """Free seats, or None when the number of participants is not limited."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken(), 0)

    def can_organize(self, user):
        """Organizers: people with the role «Организаторы мероприятий», and regional managers.

        They see every registration and check-in of the event (people of the whole region), the
        check-in code, and moderate the live Q&A. The right to write the page in the Wagtail admin
        (every trainer has it under the events index) gives no access to people.
        """
        return bool(roles_of(user) & ORGANIZING_ROLES)

    def attendance_scope(self, user):
        """Whose registrations and attendance ``user`` may see here: all for organizers, else their scope."""
        if self.can_organize(user):
            return Scope(user, everything=True)
        return Scope.for_user(user)

    def can_watch(self, user):
        """The stream page (broadcast link, check-in code): moderators and participants, as the socket."""
        if not (self.has_broadcast and user.is_authenticated):
            return False
        from events.live import is_moderator, is_participant  # local: events.live imports the models

        return is_moderator(self, user) or is_participant(self, user)

    def attended(self, user):
        """Checked in personally or named among the participants of a broadcast room of this event.

        Only these people can be identified as having been there (a room's head count is anonymous),
        so only they are offered the follow-up quiz; a registration alone is not enough.
        """
        if not user.is_authenticated:
            return False
        return (
            self.attendances.filter(user=user).exists()
            or self.broadcast_rooms.filter(participants=user).exists()
        )

    @property
    def follow_up_context(self):
        """The sitting context of this event's follow-up quiz: attempts are counted per event."""
        return context_key(EVENT, self.pk)

    def follow_up_for(self, user, now=None):
        """The follow-up quiz as ``user`` sees it, or None when it is not (or not yet) for them."""
        now = now or timezone.now()
        if self.follow_up_quiz_id is None or not self.has_ended(now) or not self.attended(user):
            return None
        quiz = self.follow_up_quiz
        sitting = None
        for candidate in Sitting.objects.filter(user=user, follow_up__event=self).order_by(
            "started_at", "pk"
        ):
            if candidate.is_in_progress and not candidate.accepts_answers_at(now):
                finish_sitting(candidate, now=now)
            if sitting is None or not sitting.is_in_progress:
                sitting = candidate  # in progress wins, else the latest
        attempts_left = None
        if quiz.attempts_allowed:
            taken = Sitting.objects.in_context(user, quiz, self.follow_up_context).count()
            attempts_left = max(0, quiz.attempts_allowed - taken)
        return FollowUp(event=self, quiz=quiz, sitting=sitting, attempts_left=attempts_left)

    def start_follow_up(self, user, now=None):
        """Start (or resume) the person's sitting of the follow-up quiz, linked to this event.

        Raises :class:`FollowUpNotAvailable` before the end, without a quiz or for someone who was not
        there, and whatever :func:`quizzes.services.start_sitting` raises (e.g. no attempts left).
        """
        now = now or timezone.now()
        if self.follow_up_for(user, now) is None:
            raise FollowUpNotAvailable
        sitting = start_sitting(user, self.follow_up_quiz, context=self.follow_up_context, now=now)
        FollowUpSitting.objects.get_or_create(sitting=sitting, defaults={"event": self})
        return sitting

    @route_path("follow-up/", name="follow_up")
    def follow_up(self, request):
        """POST starts or resumes the follow-up quiz and opens the test page of the quizzes engine."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_authenticated:
            return redirect_to_login(self.get_url(request))
        try:
            sitting = self.start_follow_up(request.user)
        except FollowUpNotAvailable:
            raise Http404 from None
        except QuizError as error:
            messages.error(request, error.message)
            return redirect(self.get_url(request))
        return redirect("quizzes:take", sitting.pk)

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
            "outside_audience": self.registration_limited and user.is_authenticated and not self.admits(user),
            "follow_up": self.follow_up_for(user, now) if self.follow_up_quiz_id else None,
            **self.feedback_context(user, now),
        }

    def feedback_context(self, user, now):
        """The feedback form after the event: may ``user`` leave (or change) it, and did they?"""
        if not (user.is_authenticated and self.has_ended(now)):
            return {"feedback_open": False, "feedback_given": None}
        from events.feedback import feedback_of, may_give  # local: events.feedback imports the models

        return {"feedback_open": may_give(self, user, now), "feedback_given": feedback_of(self, user)}


class FollowUpSitting(models.Model):
    """Links a sitting of an event's follow-up quiz to the event it was started from.

    The quizzes engine knows nothing of events: the sitting is an ordinary one outside any campaign,
    taken on the usual /tests/ pages; this row says which event it follows up.
    """

    event = models.ForeignKey(
        EventPage,
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="follow_up_sittings",
    )
    sitting = models.OneToOneField(
        "quizzes.Sitting",
        verbose_name=_("попытка"),
        on_delete=models.CASCADE,
        related_name="follow_up",
    )

    class Meta:
        verbose_name = _("попытка теста по итогам мероприятия")
        verbose_name_plural = _("попытки тестов по итогам мероприятий")

    def __str__(self):
        return f"{self.event} — {self.sitting}"


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
