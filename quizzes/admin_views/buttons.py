"""The «Просмотр как у слушателя» and «Создать копию» buttons of question and quiz pages (listing rows and
edit forms), shown to those who may use them: preview needs the right to change, a copy the right to add."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets.button import Button

PREVIEW_LABEL = _("Просмотр как у слушателя")
DUPLICATE_LABEL = _("Создать копию")


def _links(viewset, model_name, instance, user):
    """``[(label, url, icon)]`` of the tools ``user`` may use on ``instance``."""
    links = []
    if user.has_perm(f"quizzes.change_{model_name}"):
        links.append((PREVIEW_LABEL, reverse(f"{viewset}:preview", args=[instance.pk]), "view"))
    if user.has_perm(f"quizzes.add_{model_name}"):
        links.append((DUPLICATE_LABEL, reverse(f"{viewset}:duplicate", args=[instance.pk]), "copy"))
    return links


def trainer_list_buttons(viewset, model_name, instance, user):
    """Items of a listing row's «…» menu."""
    return [
        MenuItem(label, url=url, icon_name=icon, priority=15 + number)
        for number, (label, url, icon) in enumerate(_links(viewset, model_name, instance, user))
    ]


def trainer_header_buttons(viewset, model_name, instance, user):
    """Buttons of an edit form's header «…» menu."""
    return [
        Button(label, url=url, icon_name=icon, priority=5 + number)
        for number, (label, url, icon) in enumerate(_links(viewset, model_name, instance, user))
    ]
