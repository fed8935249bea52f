"""The dashboard's figures for a period, per group of a :class:`~.slices.Slice`, in SQL.

Each function returns ``{group_key: {figure: value}}`` from a constant number of GROUP BY queries,
whatever the number of people, sittings or organizations (campaigns add one query each for their
audience, a rule evaluated in the database). What counts, for a period:

* **people** — active people;
* **enrolled** — course enrolments made in the period; **completed** — enrolments completed in the
  period; **trained** — people who completed at least one course in the period;
* **overdue** — enrolments due in the period, past their due date today and not completed (the rule of
  the courses' overdue list, :func:`courses.manage_views.overdue_enrollments`);
* campaigns are those whose window overlaps the period. **expected**, **started**, **finished** and
  **passed** count (person, campaign) pairs as :mod:`quizzes.analytics.participation` does for one
  campaign; **average** is the mean of the counted sittings' percentages;
* seminars are the events starting in the period. **attended** is, per municipality, the formula of
  :mod:`events.attendance` summed over the events (personal check-ins plus each broadcast room's
  ``max(head count, named)`` minus the named people who also checked in, a room counted in its own
  municipality's district); per organization or person, the (person, event) pairs with a personal
  check-in or a mention by name in a room (a room's unnamed heads belong to no organization).
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, RowNumber
from django.utils import timezone

from courses.manage_views import overdue_enrollments
from courses.models import Enrollment
from events.models import Attendance, BroadcastRoom, EventPage
from people.models import User
from quizzes.models import Quiz, Sitting, TestCampaign

from .slices import Grouping

ONE_DECIMAL = Decimal("0.1")
ParticipantLink = BroadcastRoom.participants.through


def bounds(period):
    """The period as aware datetimes ``[start, end)`` in the site's time zone."""
    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def campaigns_in(period):
    """Published campaigns whose window overlaps the period."""
    start, end = bounds(period)
    return list(
        TestCampaign.objects.published()
        .filter(opens_at__lt=end, closes_at__gt=start)
        .select_related("audience", "quiz")
        .order_by("opens_at", "pk")
    )


def events_in(period):
    """Ids of the events (seminars, broadcasts, …) that start in the period."""
    start, end = bounds(period)
    return EventPage.objects.filter(start__gte=start, start__lt=end).values("pk")


def _grouped(queryset, key, **aggregates):
    rows = queryset.annotate(group_key=key).values("group_key").annotate(**aggregates).order_by()
    return {row.pop("group_key"): row for row in rows}


def people(slice_):
    return _grouped(slice_.narrow(User.objects.active()), slice_.key(), people=Count("pk"))


def courses(slice_, period, today=None):
    start, end = bounds(period)
    today = today or timezone.localdate()
    enrollments = slice_.narrow(Enrollment.objects.active().filter(user__is_active=True), "user__")
    completed = Q(completed_at__gte=start, completed_at__lt=end)
    figures = _grouped(
        enrollments,
        slice_.key("user__"),
        enrolled=Count("pk", filter=Q(enrolled_at__gte=start, enrolled_at__lt=end)),
        completed=Count("pk", filter=completed),
        trained=Count("user_id", distinct=True, filter=completed),
    )
    overdue = slice_.narrow(
        overdue_enrollments(slice_.scope, today).filter(due_date__range=(period.start, period.end)),
        "user__",
    )
    for key, row in _grouped(overdue, slice_.key("user__"), overdue=Count("pk")).items():
        figures.setdefault(key, {}).update(row)
    return figures


def _counted(sittings, campaign_list):
    """The counted sitting of each person in each campaign among ``sittings``: the best or the last
    finished one, as the campaign's quiz says (the rule of :func:`quizzes.analytics.counted_sittings`).

    One window function ranks each (person, campaign)'s finished sittings: a single pass over the rows
    instead of a correlated subquery per sitting, which took seconds at 100,000 sittings.
    """
    best = [c.pk for c in campaign_list if c.quiz.grading_method == Quiz.GradingMethod.BEST]
    best_first = Case(
        When(campaign_id__in=best, then=F("percent")),
        default=Value(Decimal(0)),
        output_field=DecimalField(max_digits=6, decimal_places=2),
    )
    ranked = sittings.filter(state=Sitting.State.FINISHED).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("user_id"), F("campaign_id")],
            order_by=[best_first.desc(), F("finished_at").desc(), F("pk").desc()],
        )
    )
    return Sitting.objects.filter(pk__in=ranked.filter(rank=1).values("pk"))


def campaigns(slice_, campaign_list):
    """Expected/started/finished/passed pairs and the counted percentages, summed over the campaigns."""
    figures = defaultdict(lambda: {"expected": 0, "started": 0, "finished": 0, "passed": 0})
    for campaign in campaign_list:
        expected = _grouped(
            slice_.narrow(campaign.expected_participants()), slice_.key(), expected=Count("pk")
        )
        for key, row in expected.items():
            figures[key]["expected"] += row["expected"]
    if not campaign_list:
        return {}
    campaign_ids = [campaign.pk for campaign in campaign_list]
    sittings = slice_.narrow(Sitting.objects.filter(campaign__in=campaign_ids), "user__")
    # People count once per campaign: distinct people per (group, campaign), summed over campaigns.
    rows = (
        sittings.annotate(group_key=slice_.key("user__"))
        .values("group_key", "campaign_id")
        .annotate(
            started=Count("user_id", distinct=True),
            finished=Count("user_id", distinct=True, filter=Q(state=Sitting.State.FINISHED)),
        )
        .order_by()
    )
    for row in rows:
        figures[row["group_key"]]["started"] += row["started"]
        figures[row["group_key"]]["finished"] += row["finished"]
    # One counted sitting per (person, campaign): plain counts, no DISTINCT needed.
    counted = _grouped(
        _counted(sittings, campaign_list),
        slice_.key("user__"),
        passed=Count("pk", filter=Q(passed=True)),
        percent_sum=Sum("percent"),
        percent_count=Count("pk"),
    )
    for key, row in counted.items():
        figures[key].update(row)
    return dict(figures)


def average(figure):
    """The mean counted percentage of a figures dict (None without counted sittings)."""
    if not figure.get("percent_count"):
        return None
    return (Decimal(figure["percent_sum"]) / figure["percent_count"]).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def _count(queryset, group_by):
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def attendance(slice_, period):
    """Seminar attendance per group: ``personal``, ``rooms`` (counted heads) and ``attended``."""
    events = events_in(period)
    personal = _grouped(
        slice_.narrow(Attendance.objects.filter(event__in=events), "user__"),
        slice_.key("user__"),
        personal=Count("pk"),
    )
    figures = defaultdict(lambda: {"personal": 0, "rooms": 0, "attended": 0})
    for key, row in personal.items():
        figures[key]["personal"] = row["personal"]
    if slice_.grouping == Grouping.DISTRICT:
        _add_rooms(figures, slice_, events)
    else:
        named = ParticipantLink.objects.filter(broadcastroom__event__in=events).filter(
            ~Exists(Attendance.objects.filter(event=OuterRef("broadcastroom__event"), user=OuterRef("user")))
        )
        named = _grouped(slice_.narrow(named, "user__"), slice_.key("user__"), named=Count("pk"))
        for key, row in named.items():
            figures[key]["rooms"] = row["named"]
    for figure in figures.values():
        figure["attended"] = figure["personal"] + figure["rooms"]
    return dict(figures)


def _add_rooms(figures, slice_, events):
    """Each broadcast room's ``max(head count, named) - named who checked in`` in its district."""
    links = ParticipantLink.objects.filter(broadcastroom=OuterRef("pk"))
    checked_in = Attendance.objects.filter(event=OuterRef("broadcastroom__event"), user=OuterRef("user"))
    rooms = (
        slice_.narrow(BroadcastRoom.objects.filter(event__in=events))
        .annotate(
            group_key=slice_.key(),
            named=_count(links, "broadcastroom"),
            overlap=_count(links.filter(Exists(checked_in)), "broadcastroom"),
        )
        .annotate(counted=Greatest("head_count", "named"))
        .values_list("group_key", "counted", "overlap")
        .order_by()
    )
    for key, counted, overlap in rooms:
        figures[key]["rooms"] += counted - overlap
