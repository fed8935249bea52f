"""Sign-in with the organization's directory (Active Directory / OpenLDAP): what the directory says
about a person, and how that becomes their account here.

The LDAP side (bind, search, groups) is django-auth-ldap's, driven by
:class:`people.backends.DirectoryBackend`; this module holds the project's rules:

* which account a directory person is (:func:`find_account`): the one with their login, else — when
  ``DIRECTORY_MATCH_BY`` says so — the one with their e-mail or personnel number; a superuser or an
  inactive account is never signed in from the directory (:class:`Refused`), nor an entry the directory
  marks disabled (Active Directory's ``userAccountControl`` bit 2);
* what the directory writes into it (:func:`update_account`): the name, e-mail, position and personnel
  number (``DIRECTORY_ATTRIBUTES``), organization and municipality (``DIRECTORY_PLACE_ATTRIBUTE`` through
  ``DIRECTORY_ORGANIZATIONS`` / ``DIRECTORY_MUNICIPALITIES``), category (``DIRECTORY_CATEGORY_ATTRIBUTE``
  through ``DIRECTORY_CATEGORIES``) and the roles of its groups (``DIRECTORY_ROLE_GROUPS``); a value that
  maps to nothing changes nothing and is logged as a warning;
* a directory account has no usable password here: while directory sign-in is on, only the directory
  checks its password (:func:`is_managed`), so a local password never bypasses a removal from the
  directory;
* the directory being down is remembered on the request (:func:`note_unavailable`), so the login form
  can say so in Russian instead of «wrong password».

Every setting, its format and examples: docs/deploy.md, "Directory sign-in".
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .models import Municipality, Organization, ServiceCategory, User
from .roles import Role, group_for

logger = logging.getLogger(__name__)

# Account fields the directory may fill (DIRECTORY_ATTRIBUTES), and the extra ways to find an account.
FIELDS = ("last_name", "first_name", "patronymic", "email", "position", "personnel_number")
MATCH_KEYS = ("email", "personnel_number")
# DIRECTORY_PLACE_ATTRIBUTE's value meaning "the organizational units of the entry's DN".
FROM_DN = "dn"
# Active Directory's userAccountControl flag ACCOUNTDISABLE.
AD_ACCOUNT_DISABLE = 0x2
UNAVAILABLE_FLAG = "_directory_unavailable"


class Refused(Exception):
    """The directory accepted the password, but this person must not sign in here (the reason is logged)."""


def enabled():
    """Directory sign-in is configured (AUTH_LDAP_SERVER_URI is set)."""
    return bool(getattr(settings, "AUTH_LDAP_SERVER_URI", ""))


def is_managed(user):
    """The account signs in through the directory only: its local password does not count.

    Only while directory sign-in is on: with it switched off, directory accounts are ordinary accounts
    without a password (they can set one through «Забыли пароль?» or an invitation).
    """
    return enabled() and bool(getattr(user, "directory_dn", ""))


# --- the directory being down ----------------------------------------------------------------------


def note_unavailable(request, exception):
    """The directory could not be asked (down, timed out, refused the service account): logged for the
    operators, and remembered on the request for the login form's message."""
    logger.error("Directory sign-in: the directory did not answer: %r", exception)
    if request is not None:
        setattr(request, UNAVAILABLE_FLAG, True)


def was_unavailable(request):
    return bool(getattr(request, UNAVAILABLE_FLAG, False))


# --- what the directory says about a person --------------------------------------------------------


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _fold(text):
    return " ".join(str(text).split()).casefold()


def normalize_dn(dn):
    """A DN in one spelling: attribute names and values lower-cased, no spaces around separators, so
    ``CN=LMS Trainers, OU=Groups,DC=Kaluga,DC=ru`` equals ``cn=lms trainers,ou=groups,dc=kaluga,dc=ru``."""
    import ldap.dn

    try:
        rdns = ldap.dn.str2dn(dn)
    except Exception:
        return _fold(dn)
    return ldap.dn.dn2str(
        [[(kind.lower(), value.casefold(), flags) for kind, value, flags in rdn] for rdn in rdns]
    )


def dn_is_valid(dn):
    import ldap.dn

    return bool(dn.strip()) and ldap.dn.is_dn(dn)


@dataclass
class Entry:
    """A person's directory entry: DN, attributes (names case-insensitive) and the DNs of the groups
    the group search found (empty when no group search is configured)."""

    dn: str
    attributes: dict = field(default_factory=dict)
    group_dns: frozenset = frozenset()

    @classmethod
    def of(cls, dn, attributes, group_dns=()):
        attrs = {}
        for name, values in (attributes or {}).items():
            if isinstance(values, str | bytes):
                values = [values]
            attrs[str(name).lower()] = [_text(value).strip() for value in values if _text(value).strip()]
        return cls(dn=dn, attributes=attrs, group_dns=frozenset(normalize_dn(group) for group in group_dns))

    def values(self, attribute):
        return list(self.attributes.get(attribute.lower(), []))

    def first(self, attribute):
        values = self.values(attribute)
        return values[0] if values else ""

    def units(self):
        """The values of the OUs in the DN, nearest first (``uid=x,ou=Отдел,ou=Администрация,…``)."""
        import ldap.dn

        try:
            rdns = ldap.dn.str2dn(self.dn)
        except Exception:
            return []
        return [value for rdn in rdns[1:] for kind, value, _flags in rdn if kind.lower() == "ou"]

    def field_value(self, name):
        """The directory's value for an account field (DIRECTORY_ATTRIBUTES), or ``""``."""
        attribute = settings.DIRECTORY_ATTRIBUTES.get(name)
        return self.first(attribute) if attribute else ""

    def is_disabled(self):
        """Active Directory's «account disabled» flag (an OpenLDAP person is removed, not disabled; AD
        refuses such a bind too, this holds where the bind does not tell)."""
        raw = self.first("userAccountControl")
        try:
            return bool(int(raw) & AD_ACCOUNT_DISABLE)
        except ValueError:
            return False


# --- finding the account ---------------------------------------------------------------------------


def match_keys():
    return [key for key in settings.DIRECTORY_MATCH_BY if key in MATCH_KEYS]


def find_account(login, entry):
    """The existing account of this directory person, or ``None`` (a new one is made).

    Tried in order: the login (case-insensitive), then each of ``DIRECTORY_MATCH_BY`` (``email``,
    ``personnel_number``) with the directory's value. Raises :class:`Refused` for a disabled entry, a
    superuser (they stay local: the way in when the directory is down) and an inactive account (a
    leaver's account is reactivated by the roster import or a manager, not by a sign-in).
    """
    if entry.is_disabled():
        raise Refused("the entry is disabled in the directory (userAccountControl)")
    lookups = [("username__iexact", login.strip())]
    for key in match_keys():
        value = entry.field_value(key)
        if key == "email":
            lookups.append(("email__iexact", value.lower()))
        else:
            lookups.append(("personnel_number", value))
    user = None
    for lookup, value in lookups:
        if value:
            user = User.objects.filter(**{lookup: value}).first()
            if user is not None:
                break
    if user is None:
        return None
    if user.is_superuser:
        raise Refused(f"the account {user.username!r} is a superuser; superusers sign in locally only")
    if not user.is_active:
        raise Refused(f"the account {user.username!r} is inactive")
    return user


def new_account(login):
    username = login.strip().lower()
    if not username or len(username) > User._meta.get_field("username").max_length:
        raise Refused("the login does not fit an account name")
    return User(username=username)


# --- writing the account ---------------------------------------------------------------------------


def update_account(user, entry):
    """Write what the directory says into the account and save it (creating it), then its roles.

    The account gets the entry's DN (the mark of a directory account) and an unusable local password.
    """
    user.directory_dn = entry.dn[: User._meta.get_field("directory_dn").max_length]
    if user.has_usable_password():
        user.set_unusable_password()
    _apply_attributes(user, entry)
    _apply_place(user, entry)
    _apply_category(user, entry)
    _apply_roles_before_save(user, entry)
    user.save()
    _apply_roles(user, entry)
    return user


def _fit(name, value):
    return value[: User._meta.get_field(name).max_length]


def _apply_attributes(user, entry):
    values = {name: entry.field_value(name) for name in FIELDS if name in settings.DIRECTORY_ATTRIBUTES}
    first = values.get("first_name", "")
    if first and not values.get("patronymic") and len(first.split()) >= 2:
        # «Анна Петровна» in givenName, no patronymic of its own: Russian directories often hold both.
        values["first_name"], values["patronymic"] = first.split(None, 1)
    for name, value in values.items():
        if not value:
            continue  # the directory has nothing for it: keep what the account has
        if name == "email":
            value = _checked_email(user, entry, value)
        elif name == "personnel_number":
            value = _checked_personnel_number(user, entry, value)
        if value:
            setattr(user, name, _fit(name, value))


def _checked_email(user, entry, value):
    value = value.lower()
    try:
        validate_email(value)
    except ValidationError:
        logger.warning(
            "Directory sign-in: %s has an e-mail that is not one (%r); not written", entry.dn, value
        )
        return ""
    if User.objects.filter(email__iexact=value).exclude(pk=user.pk).exists():
        logger.warning(
            "Directory sign-in: %s has the e-mail %s of another account; not written", entry.dn, value
        )
        return ""
    return value


def _checked_personnel_number(user, entry, value):
    if User.objects.filter(personnel_number=value).exclude(pk=user.pk).exists():
        logger.warning(
            "Directory sign-in: %s has the personnel number %s of another account; not written",
            entry.dn,
            value,
        )
        return ""
    return value


def _table(pairs):
    return {_fold(key): target for key, target in pairs}


def _by_name(model, target, extra=()):
    """The one record whose name or short name (or ``extra`` field) is ``target``, case-insensitive
    (compared here: SQLite folds ASCII only); ``id:<n>`` names the record itself."""
    if target.lower().startswith("id:"):
        try:
            return model.objects.filter(pk=int(target[3:])).first()
        except ValueError:
            return None
    wanted = _fold(target)
    fields = ("name", "short_name", *extra)
    found = [
        row[0]
        for row in model.objects.values_list("pk", *fields)
        if any(value and _fold(value) == wanted for value in row[1:])
    ]
    if len(found) > 1:
        logger.warning(
            "Directory sign-in: %r names %d records of %s; use id:<n>", target, len(found), model.__name__
        )
        return None
    return model.objects.get(pk=found[0]) if found else None


def _resolve(values, table, model, setting, extra=()):
    """The first of ``values`` that its table (or, failing that, a record's own name) leads to."""
    for value in values:
        target = table.get(_fold(value))
        if target is not None:
            record = _by_name(model, target, extra)
            if record is None:
                logger.warning(
                    "Directory sign-in: %s maps %r to %r, which is no %s",
                    setting,
                    value,
                    target,
                    model.__name__,
                )
            else:
                return record
            continue
        record = _by_name(model, value, extra)
        if record is not None:
            return record
    return None


def place_values(entry):
    source = settings.DIRECTORY_PLACE_ATTRIBUTE.strip()
    if not source:
        return None
    return entry.units() if source.lower() == FROM_DN else entry.values(source)


def _apply_place(user, entry):
    values = place_values(entry)
    if values is None:
        return
    organization = _resolve(
        values, _table(settings.DIRECTORY_ORGANIZATIONS), Organization, "DIRECTORY_ORGANIZATIONS"
    )
    if organization is not None:
        user.organization = organization
        user.municipality = organization.municipality
        return
    municipality = _resolve(
        values,
        _table(settings.DIRECTORY_MUNICIPALITIES),
        Municipality,
        "DIRECTORY_MUNICIPALITIES",
        extra=("oktmo",),
    )
    if municipality is not None:
        user.municipality = municipality
        if user.organization_id and user.organization.municipality_id != municipality.pk:
            user.organization = None  # the old organization is of another municipality
        return
    logger.warning(
        "Directory sign-in: %s — %s %r names no organization or municipality; left as it was",
        entry.dn,
        settings.DIRECTORY_PLACE_ATTRIBUTE,
        values,
    )


def category_for(value):
    """The ServiceCategory a table target names: its code or its Russian label."""
    wanted = _fold(value)
    for category in ServiceCategory:
        if wanted in (_fold(category.value), _fold(category.label)):
            return category
    return None


def _apply_category(user, entry):
    attribute = settings.DIRECTORY_CATEGORY_ATTRIBUTE.strip()
    if not attribute:
        return
    table = _table(settings.DIRECTORY_CATEGORIES)
    values = entry.values(attribute)
    for value in values:
        target = table.get(_fold(value))
        category = category_for(target) if target else category_for(value)
        if category is not None:
            user.category = category
            return
    logger.warning(
        "Directory sign-in: %s — %s %r names no category; left as it was", entry.dn, attribute, values
    )


def role_groups():
    """``{normalized group DN: {roles}}`` from DIRECTORY_ROLE_GROUPS (unknown roles are left out; the
    system check names them)."""
    mapping = {}
    for dn, role in settings.DIRECTORY_ROLE_GROUPS:
        if role in Role.values:
            mapping.setdefault(normalize_dn(dn), set()).add(Role(role))
    return mapping


def directory_roles(entry):
    """(the roles the directory gives this person, the roles the directory decides about)."""
    mapping = role_groups()
    managed = set().union(*mapping.values()) if mapping else set()
    held = set()
    for dn, roles in mapping.items():
        if dn in entry.group_dns:
            held |= roles
    if Role.SERVANT not in managed:
        held.add(Role.SERVANT)  # every directory person is a servant, as every imported one is
    return held, managed


def _apply_roles_before_save(user, entry):
    held, _managed = directory_roles(entry)
    if Role.MUNICIPAL_MANAGER in held and not user.managed_municipality_id:
        municipality = user.municipality or (user.organization.municipality if user.organization_id else None)
        if municipality is not None:
            user.managed_municipality = municipality
        else:
            logger.warning(
                "Directory sign-in: %s is a municipal manager without a municipality; they see nobody until "
                "a manager sets their «курируемое муниципальное образование»",
                entry.dn,
            )


def _apply_roles(user, entry):
    """Roles named in DIRECTORY_ROLE_GROUPS follow the groups (given and taken away); roles nobody maps
    (given by hand in the admin) are left alone; the servant role is given unless it is mapped."""
    held, managed = directory_roles(entry)
    for role in sorted(managed | held):
        group = group_for(role)
        if role in held:
            user.groups.add(group)
        else:
            user.groups.remove(group)


# --- checking the settings -------------------------------------------------------------------------

GROUP_TYPES = (
    "groupOfNames",
    "nestedGroupOfNames",
    "groupOfUniqueNames",
    "nestedGroupOfUniqueNames",
    "posixGroup",
    "activeDirectory",
    "nestedActiveDirectory",
)


def configuration_problems():
    """``(errors, warnings)`` of the directory settings, in Russian (``manage.py check``)."""
    errors, warnings = [], []
    if not enabled():
        return errors, warnings
    uri = settings.AUTH_LDAP_SERVER_URI
    if not all(part.split("://", 1)[0].lower() in ("ldap", "ldaps", "ldapi") for part in uri.split()):
        errors.append(
            _("AUTH_LDAP_SERVER_URI = %(value)r: нужен адрес вида ldap://… или ldaps://…") % {"value": uri}
        )
    if not settings.DIRECTORY_USER_SEARCH_BASE.strip():
        errors.append(_("DIRECTORY_USER_SEARCH_BASE не задан: где в каталоге искать людей."))
    if "%(user)s" not in settings.DIRECTORY_USER_FILTER:
        errors.append(
            _("DIRECTORY_USER_FILTER = %(value)r: в фильтре нет %%(user)s — места для логина.")
            % {"value": settings.DIRECTORY_USER_FILTER}
        )
    if settings.DIRECTORY_GROUP_TYPE not in GROUP_TYPES:
        errors.append(
            _("DIRECTORY_GROUP_TYPE = %(value)r: неизвестный вид групп (возможны: %(known)s).")
            % {"value": settings.DIRECTORY_GROUP_TYPE, "known": ", ".join(GROUP_TYPES)}
        )
    needs_groups = settings.DIRECTORY_ROLE_GROUPS or settings.DIRECTORY_REQUIRE_GROUP
    if needs_groups and not settings.DIRECTORY_GROUP_SEARCH_BASE.strip():
        errors.append(
            _(
                "DIRECTORY_ROLE_GROUPS и DIRECTORY_REQUIRE_GROUP требуют DIRECTORY_GROUP_SEARCH_BASE: "
                "где искать группы."
            )
        )
    for dn, role in settings.DIRECTORY_ROLE_GROUPS:
        if role not in Role.values:
            errors.append(
                _("DIRECTORY_ROLE_GROUPS: неизвестная роль %(role)r (возможны: %(known)s).")
                % {"role": role, "known": ", ".join(Role.values)}
            )
        if not dn_is_valid(dn):
            errors.append(_("DIRECTORY_ROLE_GROUPS: %(dn)r — не DN группы.") % {"dn": dn})
    if settings.DIRECTORY_REQUIRE_GROUP and not dn_is_valid(settings.DIRECTORY_REQUIRE_GROUP):
        errors.append(
            _("DIRECTORY_REQUIRE_GROUP: %(dn)r — не DN группы.") % {"dn": settings.DIRECTORY_REQUIRE_GROUP}
        )
    for name in settings.DIRECTORY_ATTRIBUTES:
        if name not in FIELDS:
            errors.append(
                _("DIRECTORY_ATTRIBUTES: поле %(name)r не заполняется из каталога (возможны: %(known)s).")
                % {"name": name, "known": ", ".join(FIELDS)}
            )
    for key in settings.DIRECTORY_MATCH_BY:
        if key not in MATCH_KEYS:
            errors.append(
                _("DIRECTORY_MATCH_BY: %(key)r — искать можно только по %(known)s.")
                % {"key": key, "known": ", ".join(MATCH_KEYS)}
            )
        elif key not in settings.DIRECTORY_ATTRIBUTES:
            errors.append(
                _("DIRECTORY_MATCH_BY: %(key)r, но в DIRECTORY_ATTRIBUTES нет атрибута для этого поля.")
                % {"key": key}
            )
    for value, target in settings.DIRECTORY_CATEGORIES:
        if category_for(target) is None:
            errors.append(
                _("DIRECTORY_CATEGORIES: %(value)r → %(target)r — нет такой категории (возможны: %(known)s).")
                % {"value": value, "target": target, "known": ", ".join(ServiceCategory.values)}
            )
    if settings.DIRECTORY_CATEGORIES and not settings.DIRECTORY_CATEGORY_ATTRIBUTE.strip():
        warnings.append(
            _("DIRECTORY_CATEGORIES задан, но DIRECTORY_CATEGORY_ATTRIBUTE пуст: таблица не действует.")
        )
    places = settings.DIRECTORY_ORGANIZATIONS or settings.DIRECTORY_MUNICIPALITIES
    if places and not settings.DIRECTORY_PLACE_ATTRIBUTE.strip():
        warnings.append(
            _(
                "DIRECTORY_ORGANIZATIONS / DIRECTORY_MUNICIPALITIES заданы, "
                "но DIRECTORY_PLACE_ATTRIBUTE пуст: таблицы не действуют."
            )
        )
    return errors, warnings


def sends_passwords_in_clear():
    """Passwords would cross the network unencrypted: ldap:// without StartTLS."""
    if not enabled() or settings.AUTH_LDAP_START_TLS:
        return False
    return any(part.lower().startswith("ldap://") for part in settings.AUTH_LDAP_SERVER_URI.split())


# --- django-auth-ldap's settings, built from ours --------------------------------------------------


def ldap_settings():
    """django-auth-ldap's settings object: AUTH_LDAP_* as given, the searches, group type and connection
    options built from DIRECTORY_*; the library fills no fields and mirrors no groups (this module does)."""
    import ldap
    from django_auth_ldap import config

    group_types = {
        "groupOfNames": config.GroupOfNamesType,
        "nestedGroupOfNames": config.NestedGroupOfNamesType,
        "groupOfUniqueNames": config.GroupOfUniqueNamesType,
        "nestedGroupOfUniqueNames": config.NestedGroupOfUniqueNamesType,
        "posixGroup": config.PosixGroupType,
        "activeDirectory": config.ActiveDirectoryGroupType,
        "nestedActiveDirectory": config.NestedActiveDirectoryGroupType,
    }
    ldap_config = config.LDAPSettings("AUTH_LDAP_", {})
    ldap_config.USER_SEARCH = config.LDAPSearch(
        settings.DIRECTORY_USER_SEARCH_BASE, ldap.SCOPE_SUBTREE, settings.DIRECTORY_USER_FILTER
    )
    ldap_config.USER_DN_TEMPLATE = None
    if settings.DIRECTORY_GROUP_SEARCH_BASE.strip():
        ldap_config.GROUP_SEARCH = config.LDAPSearch(
            settings.DIRECTORY_GROUP_SEARCH_BASE, ldap.SCOPE_SUBTREE, settings.DIRECTORY_GROUP_FILTER
        )
        ldap_config.GROUP_TYPE = group_types.get(settings.DIRECTORY_GROUP_TYPE, config.GroupOfNamesType)()
    ldap_config.REQUIRE_GROUP = settings.DIRECTORY_REQUIRE_GROUP.strip() or None
    ldap_config.DENY_GROUP = None
    ldap_config.USER_ATTR_MAP = {}
    ldap_config.USER_FLAGS_BY_GROUP = {}
    ldap_config.ALWAYS_UPDATE_USER = False
    ldap_config.MIRROR_GROUPS = None
    ldap_config.MIRROR_GROUPS_EXCEPT = None
    ldap_config.FIND_GROUP_PERMS = False
    ldap_config.AUTHORIZE_ALL_USERS = False
    ldap_config.CACHE_TIMEOUT = 0  # a removal from the directory counts at the next sign-in
    ldap_config.PERMIT_EMPTY_PASSWORD = False  # an empty password is an anonymous bind, which "succeeds"
    ldap_config.NO_NEW_USERS = False
    timeout = max(1, int(settings.DIRECTORY_TIMEOUT))
    options = {
        ldap.OPT_NETWORK_TIMEOUT: timeout,
        ldap.OPT_TIMEOUT: timeout,
        ldap.OPT_REFERRALS: 0,  # Active Directory answers searches of the domain root with referrals
    }
    if settings.DIRECTORY_CA_CERT_FILE:
        options[ldap.OPT_X_TLS_CACERTFILE] = settings.DIRECTORY_CA_CERT_FILE
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: applies the TLS options above to this connection
    ldap_config.CONNECTION_OPTIONS = options
    return ldap_config
