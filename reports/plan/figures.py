"""Figures of the plan items the platform measures: what was done for each item and for whom.

Measured items: 1.3 (assistance to local self-government: the training of municipal servants) and
5.1–5.9. An item's *activities* are the courses, events and test campaigns linked to it
(``plan_items``) or to an item of an earlier year's plan it continues (same number, see
``PlanItem.continued_items``), and for 5.5 the materials of the library. For a period:

* **held events** — live events linked to the item that started within the period and have ended;
* **campaigns** — published campaigns linked to the item whose window overlaps the period;
* **materials** (5.5 only) — live, public materials of the library linked to the item whose date
  (the material's date, as the library and its feeds show it) falls within the period.
* **consultations** (1.3 only) — questions asked to the authorized body on the portal within the period
  from a municipality (``events.consultations``; the municipality of the asker's profile when asking,
  whatever the asker's category), and of them those answered before the period's end. They are the
  authorized body's assistance to local self-government, not linked to the item by hand.
* **letters** (1.3 only) — letters to municipalities (``events.letters``) sent within the period: their
  recipients (the municipal anti-corruption coordinators; the municipality and organization when sent,
  whatever the recipient's category) and of them those who acknowledged before the period's end. The
  authorized body's methodological help to municipalities, not linked to the item by hand either.

Every person-level figure of an item counts the item's **group** only (:func:`group_condition`), as
the item's wording names it:

* 1.3 — municipal servants and holders of municipal office (``ServiceCategory.MUNICIPAL``,
  ``MUNICIPAL_OFFICE``): the item is the authorized body's assistance to municipalities;
* 5.1, 5.2 — state civil servants of the region (``ServiceCategory.STATE_CIVIL``);
* 5.7 — people with anti-corruption duties, 5.9 — people with procurement duties: the wording covers
  both state civil servants and workers, so any category (the note says so);
* 5.8 — state civil servants first hired within the item's term (the years of its deadline, «в течение
  2024 года», else the plan's year) and the reported period;
* 5.3–5.6 name no group of people: everybody counts.

With a group:

* **completed** — people of the group who completed a linked course within the period (leavers too:
  what they did counts);
* **present** — people of the group checked in personally at a held event or named among a broadcast
  room's participants; unnamed people of a room cannot be told apart, so they do not count;
* **event participants** — per event, the people of the group present (known by name), summed over
  the held events (a person at two seminars counts twice, as in the reports of the authorized body);
  **events attended** — held events with anybody of the group;
* **tested** / **passed** — people of the group with a finished sitting of a linked campaign / whose
  counted sitting passed (:mod:`quizzes.analytics`);
* the **target** (1.3, 5.1, 5.7, 5.8, 5.9): active people of the group, and **trained** — those of
  them who completed a linked course or were present at a held linked event; for 5.8 also **in time**
  — those who completed a linked course by their due date (the enrolment's, else
  :data:`people.models.NEWLY_HIRED_DAYS` after the hire date).

Without a group, event participants are personal check-ins plus broadcast-room head counts without
counting a person twice (:mod:`events.attendance`), as on the dashboard.

Every person-level figure counts a person once per row. Rows are top-level municipalities
(settlements rolled up into their district) plus, for the whole region, people of regional bodies;
or, for one municipality, its organizations. Everything goes through the manager's Scope.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.models import MaterialPage, Plan, PlanItem
from courses.models import CoursePage, Enrollment
from events.attendance import attendance_by_municipality
from events.consultations.figures import asked_in
from events.letters.figures import acknowledged_by, sent_in
from events.models import Attendance, BroadcastRoom, EventPage
from people.models import NEWLY_HIRED_DAYS, Municipality, ServiceCategory, User, name_sort_key
from quizzes.analytics import by_municipality, counted_sittings, is_visible, total_row
from quizzes.analytics.sittings import district
from quizzes.models import Sitting, TestCampaign

SECTION = 5
# The items the report measures, in the order of the plan.
ITEM_NUMBERS = ("1.3", *(f"5.{n}" for n in range(1, 10)))
REGIONAL_BODIES = gettext_lazy("Областные органы")
NO_ORGANIZATION = gettext_lazy("Без организации")

MUNICIPAL_CATEGORIES = (ServiceCategory.MUNICIPAL, ServiceCategory.MUNICIPAL_OFFICE)
# The group each item's person-level figures count (see group_condition); items not named: everybody.
GROUP_LABELS = {
    "1.3": gettext_lazy("муниципальные служащие и лица, замещающие муниципальные должности"),
    "5.1": gettext_lazy("государственные гражданские служащие"),
    "5.2": gettext_lazy("государственные гражданские служащие"),
    "5.7": gettext_lazy("работники с обязанностями по противодействию коррупции"),
    "5.8": gettext_lazy("впервые поступившие на государственную гражданскую службу"),
    "5.9": gettext_lazy("работники, участвующие в закупках"),
}
# Items whose wording asks that the whole group take part: the group's size and share trained.
TARGET_ITEMS = ("1.3", "5.1", "5.7", "5.8", "5.9")
# Items about information materials: the library's materials are their activities.
MATERIAL_ITEMS = ("5.5",)
# Items about seminars: for held events with an audience (issue 18), who was expected and who came.
SEMINAR_ITEMS = ("5.2",)
# Items whose activities include the consultations of municipalities (events.consultations).
CONSULTATION_ITEMS = ("1.3",)
# Items whose activities include the letters to municipalities (events.letters).
LETTER_ITEMS = ("1.3",)
# Kept for callers that name the target groups.
TARGET_LABELS = {number: GROUP_LABELS[number] for number in TARGET_ITEMS}

YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def item_term(item):
    """``(first day, last day)`` of the item's term: the years its deadline names («в течение 2024
    года»), else its plan's year."""
    years = [int(year) for year in YEAR_RE.findall(item.deadline or "") if 2000 <= int(year) <= 2100]
    if not years:
        years = [item.section.plan.year]
    return datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 31)


def hire_window(item, period):
    """``(first day, last day)`` a person must have been hired within to count in 5.8: the item's term
    within the period; None when they do not meet."""
    term_start, term_end = item_term(item)
    start, end = max(term_start, period.start), min(term_end, period.end)
    return (start, end) if start <= end else None


def group_condition(item, period, prefix=""):
    """The item's group as a condition on the person reached through ``prefix`` (``"user__"`` for
    enrolments, sittings…), or None when the item names no group."""

    def q(**lookups):
        return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    number = item.number
    if number == "1.3":
        return q(category__in=MUNICIPAL_CATEGORIES)
    if number in ("5.1", "5.2"):
        return q(category=ServiceCategory.STATE_CIVIL)
    if number == "5.7":
        return q(has_anticorruption_duties=True)
    if number == "5.8":
        window = hire_window(item, period)
        if window is None:
            return q(pk__in=[])
        return q(category=ServiceCategory.STATE_CIVIL, hire_date__gte=window[0], hire_date__lte=window[1])
    if number == "5.9":
        return q(has_procurement_duties=True)
    return None


def period_bounds(period):
    """Aware datetimes ``[start, end)`` covering the period's days in the site's time zone."""
    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def _item_filter(numbers=ITEM_NUMBERS):
    condition = Q(pk__in=[])
    for number in numbers:
        condition |= Q(number=number, section__number=int(number.split(".")[0]))
    return condition


def section_items(plan):
    """The measured items of ``plan`` (1.3, 5.1–5.9) in the plan's order."""
    return list(
        PlanItem.objects.filter(_item_filter(), section__plan=plan)
        .select_related("section__plan")
        .order_by("section__number", "position")
    )


def get_plan_or_404(year=None, period=None):
    """The plan of ``year``; without it, the plan of the year ``period`` starts in (the report for year Y
    uses Y's plan), else the latest plan. No such plan: 404."""
    plans = Plan.objects.all()
    try:
        if year:
            return plans.get(year=int(year))
        if period is not None:
            return plans.get(year=period.start.year)
        return plans.order_by("-year")[:1].get()
    except (Plan.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_item_or_404(plan, number):
    """A measured item of ``plan`` by its number; anything else: 404."""
    number = str(number)
    if number not in ITEM_NUMBERS:
        raise Http404
    try:
        return PlanItem.objects.select_related("section__plan").get(
            _item_filter([number]), section__plan=plan
        )
    except PlanItem.DoesNotExist:
        raise Http404 from None


@dataclass
class Activities:
    courses: list
    events: list  # held within the period
    campaigns: list
    materials: list = field(default_factory=list)  # published within the period (5.5)
    consultations: int = 0  # questions from municipalities asked within the period (1.3)
    letters: int = 0  # letters to municipalities sent within the period that reached the scope (1.3)

    def __bool__(self):
        return any(
            (self.courses, self.events, self.campaigns, self.materials, self.consultations, self.letters)
        )


def activities_of(item, period, scope, now=None):
    start, end = period_bounds(period)
    now = now or timezone.now()
    items = item.continued_items()
    courses = list(CoursePage.objects.live().filter(plan_items__in=items).distinct().order_by("title"))
    events = list(
        EventPage.objects.live()
        .filter(plan_items__in=items, start__gte=start, start__lt=end, end__lte=now)
        .distinct()
        .order_by("start", "pk")
    )
    campaigns = [
        campaign
        for campaign in TestCampaign.objects.published()
        .filter(plan_items__in=items, opens_at__lt=end, closes_at__gt=start)
        .distinct()
        .select_related("quiz", "audience")
        .order_by("opens_at", "pk")
        if is_visible(campaign, scope)
    ]
    materials = []
    if item.number in MATERIAL_ITEMS:
        materials = list(
            MaterialPage.objects.live()
            .public()
            .filter(plan_items__in=items, date__gte=period.start, date__lte=period.end)
            .distinct()
            .order_by("date", "pk")
        )
    consultations = 0
    if item.number in CONSULTATION_ITEMS:
        consultations = consultations_of(scope, period).count()
    letters = 0
    if item.number in LETTER_ITEMS:
        letters = letters_of(scope, period).values("letter_id").distinct().count()
    return Activities(courses, events, campaigns, materials, consultations, letters)


def consultations_of(scope, period):
    """Questions from municipalities of the scope asked within the period (item 1.3)."""
    return asked_in(scope, period.start, period.end).filter(municipality__isnull=False)


def letters_of(scope, period):
    """Recipients (``LetterRecipient``) in municipalities of the scope of the letters sent within the
    period (item 1.3); the same rows as :func:`events.letters.figures.letter_figures` counts."""
    return sent_in(scope, period.start, period.end).filter(municipality__isnull=False)


class Grouping:
    """Rows per top-level municipality in scope, or per organization of one municipality."""

    def __init__(self, scope, municipality=None):
        self.scope = scope
        self.municipality = municipality

    @property
    def by_organization(self):
        return self.municipality is not None

    def narrow(self, queryset, prefix=""):
        """Rows of ``queryset`` whose person (reached through ``prefix``) is in scope and in the grouping."""
        queryset = self.scope.filter(queryset, f"{prefix}municipality")
        if self.municipality is not None:
            queryset = queryset.filter(
                Q(**{f"{prefix}municipality_id": self.municipality.pk})
                | Q(**{f"{prefix}municipality__parent_id": self.municipality.pk})
            )
        return queryset

    def key(self, prefix=""):
        return F(f"{prefix}organization_id") if self.by_organization else district(prefix)

    def people(self, queryset, prefix=""):
        """``{user_id: row key}`` of the people behind ``queryset``."""
        user_id = f"{prefix}pk" if not prefix else f"{prefix[:-2]}_id"
        rows = (
            self.narrow(queryset, prefix).annotate(row_key=self.key(prefix)).values_list(user_id, "row_key")
        )
        return dict(rows.order_by())

    def rows(self):
        """``[(key, name)]`` in display order."""
        if self.by_organization:
            organizations = self.scope.organizations().filter(
                Q(municipality=self.municipality) | Q(municipality__parent=self.municipality)
            )
            named = sorted(
                ((org.pk, str(org)) for org in organizations), key=lambda row: name_sort_key(row[1])
            )
            return [*named, (None, str(NO_ORGANIZATION))]
        ids = {m.parent_id or m.pk for m in self.scope.municipalities().only("pk", "parent_id")}
        rows = sorted(
            ((m.pk, str(m)) for m in Municipality.objects.filter(pk__in=ids)),
            key=lambda row: name_sort_key(row[1]),
        )
        if self.scope.everything:
            rows.append((None, str(REGIONAL_BODIES)))
        return rows


@dataclass
class FigureRow:
    key: int | None
    name: str
    values: dict = field(default_factory=dict)

    def as_row(self):
        return {"key": self.key, "name": self.name, **self.values}


@dataclass
class ItemFigures:
    item: PlanItem
    period: object
    activities: Activities
    columns: list  # figure keys present in rows, in order
    rows: list
    total: FigureRow
    target_label: str | None = None
    by_organization: bool = False
    group_label: str | None = None  # whom the person-level figures count; None: everybody

    @property
    def has_target(self):
        return self.target_label is not None

    @property
    def has_group(self):
        return self.group_label is not None


def percent(part, whole):
    return round(part * 100 / whole, 1) if whole else None


def _count_by_key(people, keys=None):
    """``Counter(row key)`` of ``{user_id: key}``, limited to ``keys`` (a set of user ids) if given."""
    return Counter(key for user_id, key in people.items() if keys is None or user_id in keys)


def _in_group(queryset, condition):
    return queryset if condition is None else queryset.filter(condition)


def _named_present(events, grouping, condition):
    """``{user_id: row key}`` of the people of the group checked in at ``events`` or named in a room."""
    present = grouping.people(_in_group(Attendance.objects.filter(event__in=events), condition), "user__")
    present.update(
        grouping.people(
            _in_group(
                BroadcastRoom.participants.through.objects.filter(broadcastroom__event__in=events), condition
            ),
            "user__",
        )
    )
    return present


def _event_participants(events, grouping, condition=None):
    """``(participants by key, events attended by key, events with anybody)`` over ``events``.

    With a group (``condition`` on ``user__``): the people of the group known by name; without one,
    personal check-ins plus broadcast rooms' head counts (only people known by name per organization)."""
    participants, attended, with_people = Counter(), Counter(), 0
    for event in events:
        per_event = Counter()
        if condition is not None or grouping.by_organization:
            per_event.update(_named_present([event], grouping, condition).values())
        else:
            municipalities = None if grouping.scope.everything else grouping.scope.municipalities()
            for row in attendance_by_municipality(event, municipalities):
                per_event[row.parent_id or row.pk] += row.total
            if grouping.scope.everything:
                per_event[None] += Attendance.objects.filter(
                    event=event, user__municipality__isnull=True
                ).count()
        participants.update(per_event)
        attended.update(key for key, total in per_event.items() if total)
        with_people += any(per_event.values())
    return participants, attended, with_people


def _audience_figures(events, grouping, person):
    """``(expected by key, attended by key)`` over events with an audience: per event, the audience's
    active members of the item's group (``person``, a condition on User) within the grouping, and those
    of them present (checked in or named in a room); a person expected at two events counts twice."""
    expected, attended = Counter(), Counter()
    for event in events:
        members = grouping.people(_in_group(event.expected_participants(), person))
        present = _named_present([event], grouping, None)
        expected.update(members.values())
        attended.update(key for user_id, key in members.items() if user_id in present)
    return expected, attended


def _in_time_ids(item_courses, target_people, hire_dates, start, end):
    """Target people who completed a linked course within ``[start, end)`` and by their due date."""
    enrolments = Enrollment.objects.completed().filter(
        course__in=item_courses,
        user_id__in=list(target_people),
        completed_at__gte=start,
        completed_at__lt=end,
    )
    in_time = set()
    for user_id, completed_at, due_date in enrolments.values_list("user_id", "completed_at", "due_date"):
        hire_date = hire_dates.get(user_id)
        deadline = due_date or (hire_date + datetime.timedelta(days=NEWLY_HIRED_DAYS) if hire_date else None)
        if deadline is None or timezone.localdate(completed_at) <= deadline:
            in_time.add(user_id)
    return in_time


def _rows_of(queryset, grouping):
    """``[(row key, count)]`` of rows that carry their own municipality and organization (consultations,
    letters' recipients)."""
    return queryset.annotate(row_key=grouping.key()).values_list("row_key").annotate(n=Count("pk")).order_by()


def item_figures(item, report_request_or_scope, period, municipality=None, now=None):
    """:class:`ItemFigures` of one plan item for a scope (or a ReportRequest's scope) and period."""
    scope = getattr(report_request_or_scope, "scope", report_request_or_scope)
    grouping = Grouping(scope, municipality)
    activities = activities_of(item, period, scope, now)
    start, end = period_bounds(period)
    person = group_condition(item, period)
    via_user = group_condition(item, period, "user__")
    columns = []
    counts = {}

    completed = grouping.people(
        _in_group(
            Enrollment.objects.completed().filter(
                course__in=activities.courses, completed_at__gte=start, completed_at__lt=end
            ),
            via_user,
        ),
        "user__",
    )
    present = _named_present(activities.events, grouping, via_user)

    if item.number in TARGET_ITEMS:
        target = grouping.people(User.objects.active().filter(person))
        trained = (set(completed) | set(present)) & set(target)
        counts["target"] = _count_by_key(target)
        counts["trained"] = _count_by_key(target, trained)
        columns += ["target", "trained", "trained_percent"]
        if item.number == "5.8":
            hire_dates = dict(User.objects.filter(pk__in=list(target)).values_list("pk", "hire_date"))
            in_time = _in_time_ids(activities.courses, target, hire_dates, start, end)
            counts["in_time"] = _count_by_key(target, in_time)
            columns.append("in_time")
    if activities.courses:
        counts["completed"] = _count_by_key(completed)
        columns.append("completed")
    if activities.events:
        participants, attended, with_people = _event_participants(activities.events, grouping, via_user)
        counts["present"] = _count_by_key(present)
        counts["event_participants"] = participants
        columns.append("event_participants")
        if not grouping.by_organization:
            counts["events_attended"] = attended
            columns.insert(columns.index("event_participants"), "events_attended")
    targeted = [event for event in activities.events if event.audience_id is not None]
    if item.number in SEMINAR_ITEMS and targeted:
        counts["audience_expected"], counts["audience_attended"] = _audience_figures(
            targeted, grouping, person
        )
        columns += ["audience_expected", "audience_attended", "audience_attended_percent"]
    if activities.campaigns:
        sittings = _in_group(Sitting.objects.finished().filter(campaign__in=activities.campaigns), via_user)
        counts["tested"] = _count_by_key(grouping.people(sittings, "user__"))
        passed = {}
        for campaign in activities.campaigns:
            passed.update(
                grouping.people(_in_group(counted_sittings(campaign).filter(passed=True), via_user), "user__")
            )
        counts["passed"] = _count_by_key(passed)
        columns += ["tested", "passed"]
    if activities.consultations:
        questions = grouping.narrow(consultations_of(scope, period))
        answered = questions.filter(first_answered_at__lt=end)
        counts["consultations"] = Counter(dict(_rows_of(questions, grouping)))
        counts["consultations_answered"] = Counter(dict(_rows_of(answered, grouping)))
        columns += ["consultations", "consultations_answered"]
    if activities.letters:
        recipients = grouping.narrow(letters_of(scope, period))
        acknowledged = recipients.filter(acknowledged_by(end))
        counts["letter_recipients"] = Counter(dict(_rows_of(recipients, grouping)))
        counts["letters_acknowledged"] = Counter(dict(_rows_of(acknowledged, grouping)))
        columns += ["letter_recipients", "letters_acknowledged", "letters_acknowledged_percent"]

    rows = []
    for key, name in grouping.rows():
        values = {column: counts[column].get(key, 0) for column in columns if column in counts}
        rows.append(FigureRow(key, name, values))
    total = FigureRow(None, _("Итого"), {})
    for column in columns:
        if column in counts:
            total.values[column] = sum(row.values[column] for row in rows)
    if "trained_percent" in columns:
        for row in [*rows, total]:
            row.values["trained_percent"] = percent(row.values["trained"], row.values["target"])
    if "audience_attended_percent" in columns:
        for row in [*rows, total]:
            row.values["audience_attended_percent"] = percent(
                row.values["audience_attended"], row.values["audience_expected"]
            )
    if "letters_acknowledged_percent" in columns:
        for row in [*rows, total]:
            row.values["letters_acknowledged_percent"] = percent(
                row.values["letters_acknowledged"], row.values["letter_recipients"]
            )
    if activities.events:
        # People at held events (distinct, known by name), for the wording; not a column.
        total.values["present"] = sum(row_count for row_count in counts["present"].values())
    if not grouping.by_organization and activities.events:
        total.values["events_attended"] = with_people
    if activities.materials:
        total.values["materials"] = len(activities.materials)  # not per row: a material is for everybody
    group_label = GROUP_LABELS.get(item.number)
    return ItemFigures(
        item=item,
        period=period,
        activities=activities,
        columns=columns,
        rows=rows,
        total=total,
        target_label=str(group_label) if item.number in TARGET_ITEMS else None,
        by_organization=grouping.by_organization,
        group_label=str(group_label) if group_label is not None else None,
    )


COLUMN_LABELS = {
    "target": gettext_lazy("Целевая группа, чел."),
    "trained": gettext_lazy("Из них обучены, чел."),
    "trained_percent": gettext_lazy("Обучены, %"),
    "in_time": gettext_lazy("Прошли обучение в срок, чел."),
    "completed": gettext_lazy("Завершили курсы, чел."),
    "events_attended": gettext_lazy("Мероприятий с участием"),
    "event_participants": gettext_lazy("Участников мероприятий"),
    "tested": gettext_lazy("Прошли тестирование, чел."),
    "passed": gettext_lazy("Из них успешно, чел."),
    "audience_expected": gettext_lazy("Ожидалось на семинарах с аудиторией, чел."),
    "audience_attended": gettext_lazy("Из них пришли, чел."),
    "audience_attended_percent": gettext_lazy("Пришли из ожидавшихся, %"),
    "consultations": gettext_lazy("Консультаций: вопросов"),
    "consultations_answered": gettext_lazy("Из них с ответом"),
    "letter_recipients": gettext_lazy("Писем: получателей"),
    "letters_acknowledged": gettext_lazy("Из них ознакомились"),
    "letters_acknowledged_percent": gettext_lazy("Ознакомились, %"),
}


def hours_text(hours):
    """Academic hours as written in Russian: «8», «2,5»."""
    if hours == hours.to_integral_value():
        return str(int(hours))
    return str(hours.normalize()).replace(".", ",")


@dataclass
class ActivityRow:
    kind: str
    title: str
    when: str
    figures: dict
    is_material: bool = False


def activity_rows(figures, scope):
    """Each linked course, held event, campaign and material with its own figures (within the scope and,
    where the item names one, its group)."""
    start, end = period_bounds(figures.period)
    municipalities = None if scope.everything else scope.municipalities()
    person = group_condition(figures.item, figures.period)
    via_user = group_condition(figures.item, figures.period, "user__")
    grouping = Grouping(scope)
    rows = []
    for course in figures.activities.courses:
        enrolments = _in_group(
            scope.filter(Enrollment.objects.active().filter(course=course), "user__municipality"), via_user
        )
        rows.append(
            ActivityRow(
                _("курс"),
                course.title,
                _("%(hours)s ак. ч.") % {"hours": hours_text(course.hours)},
                {
                    # Who should complete the course: active people only (leavers drop out, as from a
                    # campaign's "expected"); what leavers completed still counts.
                    "enrolled": enrolments.filter(enrolled_at__lt=end, user__is_active=True).count(),
                    "completed": enrolments.filter(completed_at__gte=start, completed_at__lt=end).count(),
                },
            )
        )
    for event in figures.activities.events:
        if via_user is None:
            municipality_rows = list(attendance_by_municipality(event, municipalities))
            total = sum(row.total for row in municipality_rows)
            if scope.everything:
                total += Attendance.objects.filter(event=event, user__municipality__isnull=True).count()
            represented = len({r.parent_id or r.pk for r in municipality_rows})
        else:
            present = _named_present([event], grouping, via_user)
            total = len(present)
            represented = len({key for key in present.values() if key is not None})
        numbers = {"participants": total, "municipalities": represented}
        if event.audience_id is not None:
            # A seminar for a defined audience: its expected participants (of the item's group, within
            # the scope) and how many of them came.
            expected, attended = _audience_figures([event], grouping, person)
            numbers["expected"] = sum(expected.values())
            numbers["attended_expected"] = sum(attended.values())
        rows.append(
            ActivityRow(
                event.get_kind_display(),
                event.title,
                f"{timezone.localdate(event.start):%d.%m.%Y}",
                numbers,
            )
        )
    for campaign in figures.activities.campaigns:
        if person is None:
            result = total_row(by_municipality(campaign, scope))
            numbers = {"expected": result.expected, "finished": result.finished, "passed": result.passed}
        else:
            finished = Sitting.objects.finished().filter(campaign=campaign).filter(via_user)
            numbers = {
                "expected": scope.people(campaign.expected_participants()).filter(person).count(),
                "finished": len(grouping.people(finished, "user__")),
                "passed": len(
                    grouping.people(counted_sittings(campaign).filter(passed=True).filter(via_user), "user__")
                ),
            }
        rows.append(
            ActivityRow(
                _("тестирование"),
                campaign.title,
                f"{timezone.localdate(campaign.opens_at):%d.%m.%Y} — "
                f"{timezone.localdate(campaign.closes_at):%d.%m.%Y}",
                numbers,
            )
        )
    if figures.activities.consultations:
        start_day, end_day = figures.period.start, figures.period.end
        questions = consultations_of(scope, figures.period)
        rows.append(
            ActivityRow(
                _("консультирование"),
                _("Вопросы органов местного самоуправления в уполномоченный орган"),
                f"{start_day:%d.%m.%Y} — {end_day:%d.%m.%Y}",
                {
                    "asked": questions.count(),
                    "answered": questions.filter(first_answered_at__lt=end).count(),
                },
            )
        )
    if figures.activities.letters:
        start_day, end_day = figures.period.start, figures.period.end
        recipients = letters_of(scope, figures.period)
        rows.append(
            ActivityRow(
                _("письма муниципалитетам"),
                _("Информационные письма, методические рекомендации и обзоры уполномоченного органа"),
                f"{start_day:%d.%m.%Y} — {end_day:%d.%m.%Y}",
                {
                    "letters": figures.activities.letters,
                    "recipients": recipients.count(),
                    "acknowledged": recipients.filter(acknowledged_by(end)).count(),
                },
            )
        )
    for material in figures.activities.materials:
        when = f"{material.date:%d.%m.%Y}"
        if material.number:
            when = f"{when}, {material.number}"
        rows.append(ActivityRow(str(material.get_kind_display()).lower(), material.title, when, {}, True))
    return rows
