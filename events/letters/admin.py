"""The Wagtail admin of letters (loaded by ``events/wagtail_hooks.py``): the menu item «Письма
муниципалитетам» for managers, the button «Отправить муниципалитетам» on a material of a letter kind
(regional managers), and the log actions of :mod:`.audit`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from people.scope import is_manager

from . import audit
from .access import may_send
from .services import letter_kinds


class ManagersMenuItem(MenuItem):
    def is_shown(self, request):
        return is_manager(request.user)


@hooks.register("register_admin_menu_item")
def letters_menu_item():
    return ManagersMenuItem(
        _("Письма муниципалитетам"), reverse("letters:manage"), icon_name="mail", order=460
    )


@hooks.register("register_page_header_buttons")
def send_letter_button(page, user, view_name, next_url=None):
    from cms.models import MaterialPage

    if (
        page.live
        and page.specific_class is MaterialPage
        and may_send(user)
        and page.specific.kind in [str(kind) for kind in letter_kinds()]
    ):
        yield Button(
            _("Отправить муниципалитетам"),
            reverse("letters:new") + f"?material={page.pk}",
            icon_name="mail",
            priority=85,
        )


@hooks.register("register_log_actions")
def register_letter_log_actions(actions):
    audit.register_log_actions(actions)
