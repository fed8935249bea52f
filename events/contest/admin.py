"""The Wagtail admin of the contest (loaded by ``events/wagtail_hooks.py``): the contest as a snippet with
its nominations, age groups and criteria (regional managers: ``events.*_contest`` in ``people.roles``),
a menu item to the organizers' page, and the log actions of :mod:`.audit`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import Contest
from . import audit
from .access import is_organizer


class ContestViewSet(SnippetViewSet):
    model = Contest
    icon = "group"
    menu_label = _("Конкурс студентов")
    menu_order = 460
    add_to_admin_menu = True
    list_display = ["title", "year", "submissions_close_at", "judging_end_at"]
    panels = [
        FieldPanel("title"),
        FieldPanel("year"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("submissions_open_at"), FieldPanel("submissions_close_at")]),
                FieldRowPanel([FieldPanel("judging_start_at"), FieldPanel("judging_end_at")]),
            ],
            heading=_("Сроки"),
        ),
        FieldPanel("rules"),
        FieldPanel("partners"),
        InlinePanel("nominations", label=_("Номинации"), min_num=1),
        InlinePanel("age_groups", label=_("Возрастные группы"), min_num=1),
        InlinePanel("criteria", label=_("Критерии оценки"), min_num=1),
    ]


register_snippet(ContestViewSet)


class OrganizersMenuItem(MenuItem):
    def is_shown(self, request):
        return is_organizer(request.user)


@hooks.register("register_admin_menu_item")
def contest_menu_item():
    return OrganizersMenuItem(
        _("Конкурс: работы и итоги"), reverse("contest:index"), icon_name="group", order=461
    )


@hooks.register("register_log_actions")
def register_contest_log_actions(actions):
    audit.register_log_actions(actions)
