from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

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
