"""Kinds of mail, registered by the apps that send them (``people`` imports no domain app).

A kind has a code (stored with each message), a Russian label for the managers' page and a priority:
a person waiting at the screen for a password link comes before a thousand reminders.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

URGENT, NORMAL, BULK = 0, 5, 9


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any
    priority: int = NORMAL
    order: int = 100


_KINDS: dict[str, Kind] = {}


def register_kind(code, label, *, priority=NORMAL, order=100):
    """Add (or replace, by code) a kind of mail; returns its code."""
    _KINDS[code] = Kind(code, label, priority, order)
    return code


def registered_kinds():
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.code))


def kind_of(code):
    return _KINDS.get(code) or Kind(code, code)


def kind_label(code):
    return kind_of(code).label


# The kinds of ``people`` itself.
PASSWORD_RESET = register_kind("password_reset", _("Восстановление пароля"), priority=URGENT, order=10)
INVITATION = register_kind("invitation", _("Приглашение: ссылка для создания пароля"), order=20)
NOTIFICATION = register_kind(
    "notification",
    _("Письма администрирования (проверка страниц, сброс пароля в админке и другие)"),
    order=900,
)
