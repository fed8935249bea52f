import json

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from .models import Plan, PlanItem, PlanSection
from .plan_admin import CopyPlanView, ImportPlanView, can_manage_plans, download_plan, download_template

PLAN_MENU_HOOK = "register_anticorruption_plan_menu_item"


class PlanIndexView(IndexView):
    """The list of plans, with the import and «по образцу» at hand for those who may use them."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if can_manage_plans(self.request.user):
            buttons += [
                HeaderButton(_("Импорт из файла"), url=reverse("cms_plans:import"), icon_name="upload"),
                HeaderButton(_("План по образцу"), url=reverse("cms_plans:copy"), icon_name="copy"),
            ]
        return buttons


class PlanViewSet(SnippetViewSet):
    model = Plan
    icon = "list-ol"
    menu_label = _("Планы")
    list_display = ["title", "year", "act_number"]
    index_view_class = PlanIndexView


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
    list_display = ["number", "title", "deadline", "section"]
    list_filter = ["section__plan", "section"]
    search_fields = ["number", "title"]
    list_per_page = 50


class PlanViewSetGroup(SnippetViewSetGroup):
    items = (PlanViewSet, PlanSectionViewSet, PlanItemViewSet)
    menu_icon = "list-ol"
    menu_label = _("План противодействия коррупции")
    menu_name = "anticorruption-plan"
    submenu_hook = PLAN_MENU_HOOK


register_snippet(PlanViewSetGroup)


class PlanMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_plans(request.user)


class PlanFilesViewSet(ViewSet):
    """Plans per year: import from XLSX/JSON, the template, a plan as a file, a plan by example."""

    name = "cms_plans"
    url_prefix = "plans"
    icon = "upload"
    menu_label = _("Импорт плана")
    menu_hook = PLAN_MENU_HOOK
    menu_order = 10
    menu_item_class = PlanMenuItem

    def get_urlpatterns(self):
        return [
            path("import/", ImportPlanView.as_view(), name="import"),
            path("import/template.xlsx", download_template, name="template"),
            path("<int:year>/plan.<str:fmt>", download_plan, name="download"),
            path("copy/", CopyPlanView.as_view(), name="copy"),
        ]


@hooks.register("register_admin_viewset")
def register_plan_files_viewset():
    return PlanFilesViewSet()


@hooks.register(PLAN_MENU_HOOK)
def register_plan_copy_menu_item():
    return PlanMenuItem(
        _("План по образцу"), reverse("cms_plans:copy"), name="plan-copy", icon_name="copy", order=11
    )


DATE_PICKER_LABELS = {
    "previousMonth": _("Предыдущий месяц"),
    "today": _("Сегодня"),
    "nextMonth": _("Следующий месяц"),
    "earlierTimes": _("Раньше"),
    "laterTimes": _("Позже"),
}


@hooks.register("insert_global_admin_js")
def date_picker_labels():
    """Names for the date picker's buttons, for screen readers (cms/static/cms/date_picker_labels.js)."""
    labels = json.dumps({key: str(text) for key, text in DATE_PICKER_LABELS.items()}, ensure_ascii=False)
    return format_html(
        '<script src="{}" data-labels="{}"></script>', static("cms/date_picker_labels.js"), labels
    )


@hooks.register("insert_editor_js")
def editor_save_waits_for_rich_text():
    """The page editor's save buttons wait for Draftail's text (cms/static/cms/editor_save.js)."""
    return format_html('<script src="{}"></script>', static("cms/editor_save.js"))
