from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .audience_admin import AudienceViewSet
from .importing.views import ImportPeopleView, can_import_people
from .invitations import views as invitation_views
from .mail.views import MailQueueView, RetryFailedView
from .models import Municipality, Organization
from .scope import is_manager


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


# Invitations and the outbox: pages for municipal and regional managers, each within their scope.


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_manager(request.user)


@hooks.register("register_admin_urls")
def register_invitation_and_mail_urls():
    return [
        path("people/invitations/", invitation_views.InvitationsView.as_view(), name="people_invitations"),
        path(
            "people/invitations/person/<int:pk>/send/",
            invitation_views.SendPersonView.as_view(),
            name="people_invitations_person",
        ),
        path(
            "people/invitations/<str:bucket>/",
            invitation_views.BucketView.as_view(),
            name="people_invitations_bucket",
        ),
        path(
            "people/invitations/<str:bucket>/send/",
            invitation_views.SendBucketView.as_view(),
            name="people_invitations_send",
        ),
        path(
            "people/invitations/<str:bucket>/codes/",
            invitation_views.CodesView.as_view(),
            name="people_invitations_codes",
        ),
        path("people/mail/", MailQueueView.as_view(), name="people_mail"),
        path("people/mail/retry/", RetryFailedView.as_view(), name="people_mail_retry"),
    ]


@hooks.register("register_admin_menu_item")
def register_invitations_menu_item():
    return ManagerMenuItem(
        _("Приглашения"), reverse("people_invitations"), name="people-invitations", icon_name="key", order=921
    )


@hooks.register("register_admin_menu_item")
def register_mail_menu_item():
    return ManagerMenuItem(
        _("Почта"), reverse("people_mail"), name="people-mail", icon_name="mail", order=922
    )


register_snippet(AudienceViewSet)


@hooks.register("register_log_actions")
def register_roster_log_actions(actions):
    """Changes of an audience's named roster (people/rosters.py) in the audience's history."""
    from .rosters import register_log_actions

    register_log_actions(actions)
