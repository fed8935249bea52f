from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .importing.views import ImportPeopleView, can_import_people
from .models import Municipality, Organization


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
