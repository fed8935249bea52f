"""Plans per year: a plan as data, a copy of a plan for another year, and how a new plan continues the
previous one.

Item N of the plan of year Y continues item N of the previous plan in the registry (see
:meth:`cms.models.PlanItem.continued_items`): the courses, events, campaigns, quizzes and materials
linked to the earlier item count under the new one, nobody has to link them again.
:func:`continuation` tells, before and after a plan is saved, which items continue, which are new,
which are dropped, and how many linked activities keep counting.

    result = copy_plan(Plan.objects.get(year=2024), 2026)   # «Создать план по образцу»
    continuation(plan_data)                                   # what the new plan keeps
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Plan, PlanItem
from .models.plan import FIRST_PLAN_YEAR, LAST_PLAN_YEAR
from .plan_loading import load_plan
from .plan_seed import ParsedItem, ParsedPlan, ParsedSection, PlanDataError

YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def plan_as_data(plan):
    """A plan of the registry as :class:`ParsedPlan` (what the JSON and XLSX files hold)."""
    sections = []
    items = PlanItem.objects.filter(section__plan=plan).order_by("section__number", "position", "pk")
    by_section = {}
    for item in items:
        by_section.setdefault(item.section_id, []).append(
            ParsedItem(number=item.number, title=item.title, deadline=item.deadline, executors=item.executors)
        )
    for section in plan.sections.order_by("number"):
        sections.append(ParsedSection(section.number, section.title, by_section.get(section.pk, [])))
    return ParsedPlan(
        title=plan.title,
        year=plan.year,
        act_kind=plan.act_kind,
        act_issuer=plan.act_issuer,
        act_date=plan.act_date,
        act_number=plan.act_number,
        act_title=plan.act_title,
        sections=sections,
    )


def shift_years(text, source_year, year):
    """Years next to ``source_year`` (the year before, itself, the year after) moved by the difference:
    "в течение 2024 года" → "в течение 2026 года", "отчёт … на 2023 год" → "на 2025 год"."""
    delta = year - source_year

    def shift(match):
        found = int(match[1])
        return str(found + delta) if abs(found - source_year) <= 1 else match[1]

    return YEAR_RE.sub(shift, text)


def _shift_date(date, delta):
    try:
        return date.replace(year=date.year + delta)
    except ValueError:  # 29 February
        return date.replace(year=date.year + delta, day=28)


def check_year(year):
    if not isinstance(year, int) or not FIRST_PLAN_YEAR <= year <= LAST_PLAN_YEAR:
        raise PlanDataError(
            _("Год плана — число от %(first)s до %(last)s.")
            % {"first": FIRST_PLAN_YEAR, "last": LAST_PLAN_YEAR}
        )


def copied_data(source, year, act_date=None, act_number=None):
    """The data of ``source`` made a plan for ``year``: the years in every text shifted, the act's date
    shifted too unless ``act_date`` is given (the act of the new plan is to be checked by a person)."""
    check_year(year)
    data = plan_as_data(source)
    delta = year - source.year
    data.year = year
    for name in ("title", "act_title"):
        setattr(data, name, shift_years(getattr(data, name), source.year, year))
    data.act_date = act_date or _shift_date(source.act_date, delta)
    data.act_number = act_number or source.act_number
    for section in data.sections:
        section.title = shift_years(section.title, source.year, year)
        for item in section.items:
            for name in ("title", "deadline", "executors"):
                setattr(item, name, shift_years(getattr(item, name), source.year, year))
    return data


@transaction.atomic
def copy_plan(source, year, act_date=None, act_number=None):
    """Create the plan of ``year`` as a copy of ``source`` (a :class:`PlanLoadResult`); a year that has
    a plan already is refused (PlanDataError): a copy never overwrites a plan."""
    check_year(year)
    if Plan.objects.filter(year=year).exists():
        raise PlanDataError(_("План на %(year)s год уже есть.") % {"year": year})
    return load_plan(copied_data(source, year, act_date, act_number))


# --- continuation ----------------------------------------------------------------------------------


def plan_links():
    """``[(label, through model, item field, activity field)]`` of every many-to-many link to PlanItem.

    Found through the model's relations, so ``cms`` names no app above it."""
    links = []
    for relation in PlanItem._meta.related_objects:
        if not relation.many_to_many:
            continue
        through = relation.through
        item_field = relation.field.m2m_reverse_field_name()
        activity_field = relation.field.m2m_field_name()
        label = str(relation.related_model._meta.verbose_name_plural)
        links.append((label, through, item_field, activity_field))
    return sorted(links, key=lambda link: link[0])


def linked_activities(item_ids):
    """``[(label, count)]``: how many activities of each kind link to any of ``item_ids``."""
    counts = []
    for label, through, item_field, activity_field in plan_links():
        count = (
            through.objects.filter(**{f"{item_field}__in": list(item_ids)})
            .values(activity_field)
            .distinct()
            .count()
        )
        if count:
            counts.append((label, count))
    return counts


@dataclass
class Continuation:
    """What a plan of ``year`` keeps of the previous plan in the registry."""

    year: int
    previous: Plan | None
    kept: list = field(default_factory=list)  # numbers present in both plans
    retitled: list = field(default_factory=list)  # kept numbers whose title changed
    added: list = field(default_factory=list)  # numbers the previous plan does not have
    dropped: list = field(default_factory=list)  # numbers of the previous plan missing from this one
    activities: list = field(default_factory=list)  # [(label, count)] that keep counting

    def summary_lines(self):
        if self.previous is None:
            return [_("Более раннего плана в реестре нет: мероприятиям не от чего наследовать привязки.")]
        lines = [
            _(
                "Продолжают мероприятия плана на %(previous)s год (тот же номер): %(kept)s из %(total)s. "
                "Курсы, семинары, тестирования и материалы, привязанные к ним, учитываются и в "
                "отчёте за %(year)s год — привязывать их заново не нужно."
            )
            % {
                "previous": self.previous.year,
                "kept": len(self.kept),
                "total": len(self.kept) + len(self.added),
                "year": self.year,
            }
        ]
        if self.activities:
            lines.append(
                _("Привязано к продолжаемым мероприятиям: %(counts)s.")
                % {"counts": "; ".join(f"{label} — {count}" for label, count in self.activities)}
            )
        if self.retitled:
            lines.append(
                _(
                    "Номер сохранён, но наименование изменилось: %(numbers)s. Проверьте, что привязанное к "
                    "ним по-прежнему относится к этим мероприятиям."
                )
                % {"numbers": ", ".join(self.retitled)}
            )
        if self.added:
            lines.append(_("Новые номера: %(numbers)s.") % {"numbers": ", ".join(self.added)})
        if self.dropped:
            lines.append(
                _("Нет в новом плане (привязки к ним в отчёт за %(year)s год не попадут): %(numbers)s.")
                % {"year": self.year, "numbers": ", ".join(self.dropped)}
            )
        return lines


def _sort_key(number):
    section, _dot, index = number.partition(".")
    return (int(section), int(index)) if section.isdigit() and index.isdigit() else (0, 0)


def continuation(data):
    """:class:`Continuation` of plan data (a :class:`ParsedPlan`, saved or not) against the previous plan
    in the registry."""
    previous = Plan.objects.filter(year__lt=data.year).order_by("-year").first()
    result = Continuation(year=data.year, previous=previous)
    if previous is None:
        return result
    old_items = {item.number: item for item in PlanItem.objects.filter(section__plan=previous)}
    new_items = {item.number: item for item in data.items}
    for number in sorted(new_items, key=_sort_key):
        if number in old_items:
            result.kept.append(number)
            if " ".join(old_items[number].title.split()) != " ".join(new_items[number].title.split()):
                result.retitled.append(number)
        else:
            result.added.append(number)
    result.dropped = [number for number in sorted(old_items, key=_sort_key) if number not in new_items]
    chain_ids = set()
    for number in result.kept:
        chain_ids.update(item.pk for item in old_items[number].continued_items())
    result.activities = linked_activities(chain_ids)
    return result


def default_copy_year():
    """The year after the latest plan (the next plan to prepare)."""
    latest = Plan.objects.order_by("-year").values_list("year", flat=True).first()
    return (latest + 1) if latest else timezone.localdate().year
