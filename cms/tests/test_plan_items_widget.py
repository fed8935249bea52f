"""Plan items are chosen with one widget everywhere: grouped by plan (newest first), earlier plans
folded unless an item there is chosen, a search box, plain checkboxes without JavaScript."""

import re

import pytest
from django import forms

from cms.models import MaterialPage, PlanItem
from cms.plan_loading import BUNDLED_PLAN_2024, load_plan, read_plan_json
from cms.plan_years import copy_plan
from cms.widgets import PlanItemsWidget
from courses.models import CoursePage
from events.models import EventPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans():
    load_plan(read_plan_json(BUNDLED_PLAN_2024))
    old = PlanItem.objects.of_year(2024)
    copy_plan(old.first().section.plan, 2026)
    return {"old": old, "new": PlanItem.objects.of_year(2026)}


class Form(forms.Form):
    items = forms.ModelMultipleChoiceField(PlanItem.objects.all(), widget=PlanItemsWidget, required=False)


def test_grouped_by_plan_newest_first_earlier_folded_unless_chosen(plans):
    html = str(Form()["items"])
    years = re.findall(r'<details class="plan-items__plan" data-year="(\d+)"( open)?>', html)
    assert years == [("2026", " open"), ("2024", "")]
    assert html.count('type="checkbox"') == plans["old"].count() + plans["new"].count()
    assert "data-plan-items-search" in html
    item = plans["old"].get(number="5.2")
    assert f"5.2 {item.title}" in html

    chosen = str(Form(initial={"items": [item.pk]})["items"])
    assert re.findall(r'data-year="(\d+)"( open)?>', chosen) == [("2026", " open"), ("2024", " open")]
    assert re.search(rf'value="{item.pk}"[^>]*checked', chosen)


def test_every_form_that_links_plan_items_uses_it():
    from quizzes.wagtail_hooks import QuizViewSet, TestCampaignViewSet

    for model in (CoursePage, EventPage, MaterialPage):
        panels = {panel.field_name: panel for panel in model.content_panels if hasattr(panel, "field_name")}
        assert panels["plan_items"].widget is PlanItemsWidget, model
    for viewset in (QuizViewSet, TestCampaignViewSet):
        declared = viewset.edit_handler.children if hasattr(viewset, "edit_handler") else viewset.panels
        panels = {panel.field_name: panel for panel in declared if hasattr(panel, "field_name")}
        assert panels["plan_items"].widget is PlanItemsWidget, viewset
