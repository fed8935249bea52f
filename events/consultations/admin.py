"""The Wagtail admin of consultations (loaded by ``events/wagtail_hooks.py``): the topics as a snippet
that regional managers edit (``events.*_consultationtopic`` in ``people.roles``), a menu item to the
managers' overview, and the log actions of :mod:`.audit`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from people.scope import is_manager

from ..models import ConsultationTopic
from . import audit


class ConsultationTopicViewSet(SnippetViewSet):
    model = ConsultationTopic
    icon = "help"
    menu_label = _("Темы консультаций")
    add_to_settings_menu = True
    list_display = ["name", "position", "is_active"]
    panels = [FieldPanel("name"), FieldPanel("position"), FieldPanel("is_active")]


register_snippet(ConsultationTopicViewSet)


class ManagersMenuItem(MenuItem):
    def is_shown(self, request):
        return is_manager(request.user)


@hooks.register("register_admin_menu_item")
def consultations_menu_item():
    return ManagersMenuItem(_("Консультации"), reverse("consultations:manage"), icon_name="help", order=450)


@hooks.register("register_log_actions")
def register_consultation_log_actions(actions):
    audit.register_log_actions(actions)
