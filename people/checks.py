"""System checks of people's settings."""

from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _


@register()
def retention_periods(app_configs, **kwargs):
    """Every retention period (``RETENTION_*_YEARS``) is a whole number of years, at least one."""
    from .privacy import rules

    errors = []
    for rule in rules():
        try:
            rule.years()
        except ImproperlyConfigured as exc:
            errors.append(Error(str(exc), id="people.E001", obj=rule.setting))
    return errors


def address_problem(value):
    """Why ``value`` is not a sender address a mail server accepts, or ``None`` when it is one."""
    from email.utils import parseaddr

    from django.core.exceptions import ValidationError
    from django.core.mail.message import sanitize_address
    from django.core.validators import validate_email

    if not isinstance(value, str) or not value.strip():
        return _("адрес не задан")
    try:
        sanitize_address(value, "utf-8")
    except (ValueError, TypeError, IndexError) as exc:
        return str(exc)
    _name, address = parseaddr(value)
    try:
        validate_email(address)
    except ValidationError:
        return _("в нём нет адреса вида имя@домен")
    return None


@register()
def sender_addresses(app_configs, **kwargs):
    """DEFAULT_FROM_EMAIL and SERVER_EMAIL are addresses Django can put in a letter: with an unquoted
    colon in the name (``Антикор: обучение <noreply@…>``) every message fails and nothing is sent."""
    from django.conf import settings

    errors = []
    for setting in ("DEFAULT_FROM_EMAIL", "SERVER_EMAIL"):
        value = getattr(settings, setting, "")
        problem = address_problem(value)
        if problem:
            errors.append(
                Error(
                    _(
                        "%(setting)s = %(value)r — не адрес отправителя, письма не будут отправлены "
                        "(%(problem)s)."
                    )
                    % {"setting": setting, "value": value, "problem": problem},
                    hint=_(
                        "Имя с двоеточием, точкой, запятой или скобками заключите в двойные кавычки: "
                        '"Антикор: обучение" <noreply@example.ru>; в файле окружения — всю строку в '
                        "одинарные кавычки (см. .env.example)."
                    ),
                    id="people.E002",
                )
            )
    return errors


@register()
def public_address(app_configs, **kwargs):
    """SITE_URL is a bare http(s) origin: every absolute link is built from it."""
    from urllib.parse import urlsplit

    from django.conf import settings

    value = getattr(settings, "SITE_URL", "")
    parts = urlsplit(value or "")
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
    ):
        return [
            Error(
                _("SITE_URL = %(value)r — не публичный адрес сайта вида https://learn.example.ru.")
                % {"value": value},
                hint=_(
                    "Ссылки в письмах, календарях и сертификатах строятся от SITE_URL (см. .env.example)."
                ),
                id="people.E003",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def public_address_in_production(app_configs, **kwargs):
    """In production the public address is https and not this machine."""
    from urllib.parse import urlsplit

    from django.conf import settings

    parts = urlsplit(getattr(settings, "SITE_URL", "") or "")
    if parts.scheme != "https" or parts.hostname in ("localhost", "127.0.0.1", "::1"):
        return [
            Warning(
                _(
                    "SITE_URL = %(value)r: ссылки в письмах, календарях и сертификатах будут вести на "
                    "этот адрес. Укажите публичный адрес сайта с https."
                )
                % {"value": settings.SITE_URL},
                id="people.W004",
            )
        ]
    return []


@register()
def delivery_backend(app_configs, **kwargs):
    """The outbox delivers through another backend than itself."""
    from django.conf import settings

    path = getattr(settings, "EMAIL_DELIVERY_BACKEND", "")
    if not path or path.endswith("people.mail.backends.OutboxBackend"):
        return [
            Error(
                _("EMAIL_DELIVERY_BACKEND = %(value)r: очереди писем нужен настоящий способ отправки (SMTP).")
                % {"value": path},
                id="people.E005",
            )
        ]
    return []


@register()
def directory_settings(app_configs, **kwargs):
    """The directory sign-in settings (AUTH_LDAP_*, DIRECTORY_*) make sense: a search base, a filter
    with the login, known roles, categories, fields and group type (docs/deploy.md)."""
    from . import directory

    errors, warnings = directory.configuration_problems()
    return [Error(message, id="people.E006") for message in errors] + [
        Warning(message, id="people.W007") for message in warnings
    ]


@register(Tags.security, deploy=True)
def directory_over_tls(app_configs, **kwargs):
    """Directory passwords never cross the network in clear text: ldaps://, or ldap:// with StartTLS."""
    from django.conf import settings

    from . import directory

    if directory.sends_passwords_in_clear():
        return [
            Warning(
                _(
                    "AUTH_LDAP_SERVER_URI = %(value)r без AUTH_LDAP_START_TLS: пароли служащих пойдут в "
                    "каталог открытым текстом. Укажите ldaps://… или включите AUTH_LDAP_START_TLS."
                )
                % {"value": settings.AUTH_LDAP_SERVER_URI},
                id="people.W008",
            )
        ]
    return []
