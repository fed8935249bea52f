"""Loading a plan (from :mod:`cms.plan_seed` data) into the registry: Plan, PlanSection, PlanItem.

Loading is idempotent: the plan is found by its year, a section by its number, an item by its
number; only fields that differ are written, so a rerun of the same data writes nothing. Sections
and items present in the database but absent from the data are reported, never deleted (courses,
events and campaigns may point at them).

    result = load_plan(read_plan_json(BUNDLED_PLAN_2024))
    result.changed, result.items.created, result.stale_items
"""

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Plan, PlanItem, PlanSection
from .plan_seed import ParsedPlan, PlanDataError

BUNDLED_PLAN_2024 = Path(__file__).resolve().parent / "data" / "plan_2024.json"


def read_plan_json(path):
    """Read plan data from a JSON file (raises OSError, PlanDataError)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise PlanDataError(
            _("Файл %(path)s — не JSON: %(error)s") % {"path": path, "error": error}
        ) from error
    if not isinstance(data, dict):
        raise PlanDataError(_("Файл %(path)s не содержит данных плана.") % {"path": path})
    return ParsedPlan.from_dict(data)


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    def as_dict(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "total": self.total,
        }

    def count(self, outcome):
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class PlanLoadResult:
    plan: Plan
    plan_outcome: Outcome
    sections: Tally = field(default_factory=Tally)
    items: Tally = field(default_factory=Tally)
    stale_sections: list = field(default_factory=list)
    stale_items: list = field(default_factory=list)

    @property
    def changed(self):
        return (
            self.plan_outcome != Outcome.UNCHANGED
            or bool(self.sections.created or self.sections.updated)
            or bool(self.items.created or self.items.updated)
        )

    def summary_lines(self):
        """The result in Russian, one statement a line."""
        outcome = {
            Outcome.CREATED: _("создан"),
            Outcome.UPDATED: _("обновлён"),
            Outcome.UNCHANGED: _("без изменений"),
        }[self.plan_outcome]
        lines = [
            _("%(title)s (%(act)s): %(outcome)s.")
            % {"title": self.plan.title, "act": self.plan.act_reference, "outcome": outcome},
            _(
                "Разделы: всего %(total)s, создано %(created)s, обновлено %(updated)s, "
                "без изменений %(unchanged)s."
            )
            % self.sections.as_dict(),
            _(
                "Мероприятия: всего %(total)s, создано %(created)s, обновлено %(updated)s, "
                "без изменений %(unchanged)s."
            )
            % self.items.as_dict(),
        ]
        if self.stale_sections:
            lines.append(
                ngettext(
                    "В базе есть раздел, которого нет в данных (не удалён): %(numbers)s.",
                    "В базе есть разделы, которых нет в данных (не удалены): %(numbers)s.",
                    len(self.stale_sections),
                )
                % {"numbers": ", ".join(str(section.number) for section in self.stale_sections)}
            )
        if self.stale_items:
            lines.append(
                ngettext(
                    "В базе есть мероприятие, которого нет в данных (не удалено): %(numbers)s.",
                    "В базе есть мероприятия, которых нет в данных (не удалены): %(numbers)s.",
                    len(self.stale_items),
                )
                % {"numbers": ", ".join(item.number for item in self.stale_items)}
            )
        return lines


def _sync(instance, values):
    """Give ``instance`` the ``values``; save only what differs."""
    if instance.pk is None:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.save()
        return Outcome.CREATED
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not changed:
        return Outcome.UNCHANGED
    for name in changed:
        setattr(instance, name, values[name])
    instance.save(update_fields=changed)
    return Outcome.UPDATED


@transaction.atomic
def load_plan(data):
    """Create or update the plan described by ``data`` (a ParsedPlan or its dict form)."""
    if not isinstance(data, ParsedPlan):
        data = ParsedPlan.from_dict(data)
    data.check()

    plan = Plan.objects.filter(year=data.year).first() or Plan(year=data.year)
    plan_outcome = _sync(
        plan,
        {
            "title": data.title,
            "act_kind": data.act_kind,
            "act_issuer": data.act_issuer,
            "act_date": data.act_date,
            "act_number": data.act_number,
            "act_title": data.act_title,
        },
    )
    result = PlanLoadResult(plan=plan, plan_outcome=plan_outcome)

    sections = {section.number: section for section in plan.sections.all()}
    items = {
        (item.section.number, item.number): item
        for item in PlanItem.objects.filter(section__plan=plan).select_related("section")
    }
    wanted_items = set()
    for parsed_section in data.sections:
        section = sections.get(parsed_section.number) or PlanSection(plan=plan, number=parsed_section.number)
        result.sections.count(_sync(section, {"title": parsed_section.title}))
        for parsed_item in parsed_section.items:
            key = (section.number, parsed_item.number)
            wanted_items.add(key)
            item = items.get(key) or PlanItem(section=section, number=parsed_item.number)
            values = {
                "title": parsed_item.title,
                "deadline": parsed_item.deadline,
                "executors": parsed_item.executors,
            }
            result.items.count(_sync(item, values))

    wanted_sections = {section.number for section in data.sections}
    result.stale_sections = [sections[n] for n in sorted(sections) if n not in wanted_sections]
    result.stale_items = sorted(
        (item for key, item in items.items() if key not in wanted_items),
        key=lambda item: (item.section.number, item.position),
    )
    return result
