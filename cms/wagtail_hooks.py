from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Plan, PlanItem, PlanSection


class PlanViewSet(SnippetViewSet):
    model = Plan
    icon = "list-ol"
    menu_label = _("Планы")
    list_display = ["title", "year", "act_number"]


class PlanSectionViewSet(SnippetViewSet):
    model = PlanSection
    icon = "folder-open-inverse"
    menu_label = _("Разделы")
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]


class PlanItemViewSet(SnippetViewSet):
    model = PlanItem
    icon = "tasks"
    menu_label = _("Мероприятия")
    list_display = ["number", "title", "deadline"]
    list_filter = ["section__plan", "section"]
    search_fields = ["number", "title"]
    list_per_page = 50


class PlanViewSetGroup(SnippetViewSetGroup):
    items = (PlanViewSet, PlanSectionViewSet, PlanItemViewSet)
    menu_icon = "list-ol"
    menu_label = _("План противодействия коррупции")
    menu_name = "anticorruption-plan"


register_snippet(PlanViewSetGroup)
