from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .audience import Audience
from .importing.views import ImportPeopleView, can_import_people
from .models import Municipality, Organization, ServiceCategory


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Муниципальные образования")
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("parent"),
        FieldPanel("center"),
        FieldPanel("oktmo"),
    ]


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Организации")
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind", "municipality"]
    search_fields = ["name", "short_name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("municipality"),
        FieldPanel("parent"),
    ]


class RegionViewSetGroup(SnippetViewSetGroup):
    items = (MunicipalityViewSet, OrganizationViewSet)
    menu_icon = "site"
    menu_label = _("Регион")
    menu_name = "region"


register_snippet(RegionViewSetGroup)


# People import (HR rosters): an admin page for regional managers and superusers.


class ImportPeopleMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import_people(request.user)


@hooks.register("register_admin_urls")
def register_import_people_url():
    return [path("people/import/", ImportPeopleView.as_view(), name="people_import")]


@hooks.register("register_admin_menu_item")
def register_import_people_menu_item():
    return ImportPeopleMenuItem(
        _("Импорт людей"), reverse("people_import"), name="people-import", icon_name="upload", order=920
    )


class AudienceForm(WagtailAdminModelForm):
    """Categories are stored as a JSON list of codes; edit them as checkboxes."""

    categories = forms.MultipleChoiceField(
        label=_("Категории"),
        choices=ServiceCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Пусто — любые категории."),
    )


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Аудитории")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["__str__"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("municipalities", widget=forms.CheckboxSelectMultiple),
            FieldPanel("organizations"),
            FieldPanel("categories"),
            FieldPanel("procurement_only"),
            FieldPanel("anticorruption_only"),
            FieldPanel("hr_only"),
            FieldPanel("hired_within_days"),
        ],
        base_form_class=AudienceForm,
    )


register_snippet(AudienceViewSet)
