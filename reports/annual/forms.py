"""The report's editor: the texts «Что сделано» name items of the report's own plan, one text an item.

* The item of a text is chosen among the items of the report's plan only (:class:`PlanTextsFormSet`):
  the plan posted with the form, else the page's plan. A new page has no plan until one is chosen:
  its choice lists every plan's items grouped by year, and ``reports/plan_report_items.js`` hides the
  items of the other plans as soon as the plan is chosen (without JavaScript the check on saving
  refuses them).
* An item of another plan (a stale form, a changed plan, a forged post) is refused with a Russian
  message naming the plan's year; an item chosen twice is refused at its second text.
* :meth:`PlanReportPage.clean_texts <reports.annual.models.PlanReportPage.clean_texts>` holds the same
  two rules for the texts the page itself holds.
"""

import re
from collections import Counter

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import InlinePanel

from cms.models import Plan, PlanItem

LABEL_LENGTH = 160


def foreign_items(plan, items):
    """The ``items`` not in ``plan``, each once, in order."""
    foreign = {item.pk: item for item in items if plan is None or item.section.plan_id != plan.pk}
    return list(foreign.values())


def repeated_items(items):
    """The items named more than once among ``items`` (each once, in order)."""
    counts = Counter(item.pk for item in items)
    seen, repeated = set(), []
    for item in items:
        if counts[item.pk] > 1 and item.pk not in seen:
            seen.add(item.pk)
            repeated.append(item)
    return repeated


def plan_items(plan):
    """The items a text may name: the plan's, or every plan's (newest first) while none is chosen."""
    items = PlanItem.objects.all()
    if plan is not None:
        items = items.filter(section__plan=plan)
    return items.order_by("-section__plan__year", "section__number", "position")


class PlanItemSelect(forms.Select):
    """The item of a text: grouped by section (one plan) or by plan year (several), each option marked
    with its plan for the script that hides the other plans' items on a new page."""

    class Media:
        js = ["reports/plan_report_items.js"]

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-plan-items": "", **(attrs or {})}, choices)

    def optgroups(self, name, value, attrs=None):
        chosen = {str(v) for v in value if v is not None}
        blank, items = [], []
        for option_value, label in self.choices:
            item = getattr(option_value, "instance", None)
            if item is None:
                blank.append((option_value, label))
            else:
                items.append((option_value, item))
        by_year = len({item.section.plan_id for _value, item in items}) > 1
        groups, index = [], 0
        for option_value, label in blank:
            option = self.create_option(name, option_value, label, str(option_value) in chosen, index)
            groups.append((None, [option], index))
            index += 1
        current = None
        for option_value, item in items:
            plan = item.section.plan
            if by_year:
                group = _("План на %(year)s год") % {"year": plan.year}
            else:
                group = f"{item.section.number}. {Truncator(item.section.title).chars(LABEL_LENGTH)}"
            if group != current:
                groups.append((group, [], index))
                current = group
            label = f"{item.number} {Truncator(item.title).chars(LABEL_LENGTH)}"
            option = self.create_option(
                name, option_value, label, str(option_value) in chosen, index, subindex=len(groups[-1][1])
            )
            option["attrs"]["data-plan"] = str(plan.pk)
            groups[-1][1].append(option)
            index += 1
        return groups


def limit_items(form, plan):
    """Let ``form`` (a text's) choose among ``plan``'s items only."""
    field = form.fields.get("item")
    if field is None:
        return form
    field.queryset = plan_items(plan)
    if plan is not None:
        field.error_messages["invalid_choice"] = _(
            "Это мероприятие не из плана на %(year)s год, по которому составляется отчёт. Выберите "
            "мероприятие этого плана."
        ) % {"year": plan.year}
    return form


class PlanTextsFormSet(BaseChildFormSet):
    """The texts of the report: items of :attr:`report_plan` only (set by the page form), each once."""

    report_plan = None

    def _construct_form(self, i, **kwargs):
        return limit_items(super()._construct_form(i, **kwargs), self.report_plan)

    @property
    def empty_form(self):
        return limit_items(super().empty_form, self.report_plan)

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or (self.can_delete and self._should_delete_form(form)):
                continue
            item = form.cleaned_data.get("item")
            if item is None:
                continue
            if self.report_plan is not None and item.section.plan_id != self.report_plan.pk:
                form.add_error(
                    "item",
                    _(
                        "Мероприятие %(number)s — из плана на %(other)s год, а отчёт составляется по плану "
                        "на %(year)s год. Выберите мероприятие плана на %(year)s год."
                    )
                    % {"number": item.number, "other": item.section.plan.year, "year": self.report_plan.year},
                )
            elif item.pk in seen:
                form.add_error(
                    "item",
                    _(
                        "Текст по мероприятию %(number)s в отчёте уже есть: у мероприятия может быть только "
                        "один текст. Перенесите написанное в тот текст и удалите этот."
                    )
                    % {"number": item.number},
                )
            else:
                seen[item.pk] = form


class PlanTextsPanel(InlinePanel):
    """The inline panel of the texts, with :class:`PlanTextsFormSet`."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = PlanTextsFormSet
        return options


class PlanReportPageForm(WagtailAdminPageForm):
    """The report's form: tells the texts' formset which plan the report is on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formset = self.formsets.get("texts")
        if formset is not None:
            formset.report_plan = self.report_plan()
            for form in formset.__dict__.get("forms", []):  # already built: limit them too
                limit_items(form, formset.report_plan)

    def report_plan(self):
        """The plan posted with the form if it is one, else the page's (``None`` on a new page)."""
        if self.is_bound and "plan" in self.fields:
            value = self.data.get(self.add_prefix("plan"))
            if value and re.fullmatch(r"[0-9]{1,18}", str(value)):  # not "²": int() refuses it
                plan = Plan.objects.filter(pk=value).first()
                if plan is not None:
                    return plan
        return self.instance.plan if self.instance.plan_id else None
