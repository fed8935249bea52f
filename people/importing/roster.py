"""Who an import switches on or off: leavers of a full roster, and people who come back.

In the full-roster mode the file is the complete current staff of every organization named in its
accepted rows. Active people of those organizations whom no row of the file identifies are
deactivated (``is_active=False``: never deleted, their sittings, enrolments, certificates and
attendance stay as they are); inactive people whom a row identifies are active again.

Only plain servants are switched, either way: a person with any other role (a group other than
«Слушатели»), staff access, personal permissions or a superuser stays as they are and is listed in the
report. An HR file must not silently lock out a manager, nor give an administrator back their access.

A full roster that would deactivate more than :func:`max_leaver_percent` per cent of an organization's
active people, or that has rejected rows, deactivates nobody unless the person importing confirms it.
The plan is made the same way for a check and for the import, so the import writes what the check
showed; :attr:`RosterPlan.digest` lets the admin page make sure of it.
"""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from people.models import Organization, User
from people.roles import GROUP_NAMES, Role

from .matching import chunked

# The share of an organization's active people (per cent) a full roster may deactivate unconfirmed.
DEFAULT_MAX_LEAVER_PERCENT = 50
SERVANT_GROUP = GROUP_NAMES[Role.SERVANT]


def max_leaver_percent():
    return getattr(settings, "PEOPLE_IMPORT_MAX_LEAVER_PERCENT", DEFAULT_MAX_LEAVER_PERCENT)


class RosterChanged(Exception):
    """People or their roles changed between the plan and the write: the transaction is rolled back."""


@dataclass(frozen=True, order=True)
class PersonEntry:
    """A person as the report lists them (sorted by organization, then name)."""

    organization: str
    name: str
    pk: int
    position: str = ""
    roles: tuple[str, ...] = ()
    anonymized: bool = False  # personal data removed after the retention period: stays inactive


@dataclass
class OrganizationShare:
    """One organization of a full roster: its rows in the file, active people now, and leavers."""

    pk: int
    name: str
    rows: int = 0
    active: int = 0
    leaving: int = 0

    @property
    def percent(self):
        return round(self.leaving * 100 / self.active, 1) if self.active else 0.0


@dataclass
class RosterPlan:
    full_roster: bool = False
    organizations: list[OrganizationShare] = field(default_factory=list)
    leavers: list[PersonEntry] = field(default_factory=list)  # to deactivate
    leavers_kept: list[PersonEntry] = field(default_factory=list)  # absent, but hold a role: stay active
    returners: list[PersonEntry] = field(default_factory=list)  # inactive servants in the file: reactivate
    inactive_kept: list[PersonEntry] = field(default_factory=list)  # inactive in the file, stay inactive

    @property
    def digest(self):
        """A short fingerprint of who would be deactivated (the same set gives the same text)."""
        if not self.leavers:
            return ""
        ids = ",".join(str(pk) for pk in sorted(entry.pk for entry in self.leavers))
        return hashlib.sha256(ids.encode()).hexdigest()[:20]

    def confirmations(self, rejected_rows, limit=None):
        """Why deactivating these leavers needs an explicit confirmation (empty: it does not)."""
        if not self.leavers:
            return []
        limit = max_leaver_percent() if limit is None else limit
        reasons = []
        if rejected_rows:
            reasons.append(
                _(
                    "в файле есть строки с ошибками (%(rows)s): людей из этих строк импорт не узнаёт, "
                    "и они могли попасть в список деактивируемых"
                )
                % {"rows": rejected_rows}
            )
        for organization in self.organizations:
            if organization.leaving and organization.percent > limit:
                reasons.append(
                    _(
                        "«%(name)s»: к деактивации %(leaving)s из %(active)s активных (%(percent)s %%) — "
                        "больше допустимых %(limit)s %%"
                    )
                    % {
                        "name": organization.name,
                        "leaving": organization.leaving,
                        "active": organization.active,
                        "percent": percent_text(organization.percent),
                        "limit": percent_text(limit),
                    }
                )
        return reasons

    def write(self, now):
        """Switch the planned people (call inside the import's transaction), deactivation dated ``now``.

        Each UPDATE repeats the plan's conditions (through :meth:`~people.models.PersonQuerySet.deactivate`
        and ``reactivate``, which keep ``deactivated_at`` right); if it does not hit exactly the planned
        people, or one of them got a role meanwhile, :class:`RosterChanged` is raised and the whole import
        rolls back.
        """
        plain = User.objects.filter(is_staff=False, is_superuser=False)
        for entries, switch in (
            (self.returners, lambda people: people.reactivate()),
            (self.leavers, lambda people: people.deactivate(now)),
        ):
            ids = [entry.pk for entry in entries]
            switched = sum(switch(plain.filter(pk__in=chunk)) for chunk in chunked(ids))
            if switched != len(ids) or any(_extra_roles(user_id__in=chunk) for chunk in chunked(ids)):
                raise RosterChanged


def percent_text(value):
    """A percentage as written in Russian: «75», «66,7»."""
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


def plan_activity(records, known, matches, *, full_roster):
    """The :class:`RosterPlan` of an import.

    ``records`` are all rows of the file; ``matches`` maps a line to the existing user it is about;
    ``known`` (:class:`~.matching.KnownPeople`) finds whom any row, even a rejected one, points at:
    such a person is in the file and is never taken for a leaver.
    """
    plan = RosterPlan(full_roster=full_roster)
    accepted = [record for record in records if record.is_valid]
    inactive = {}
    for record in accepted:
        user = matches.get(record.line)
        if user is not None and not user.is_active:
            inactive[user.pk] = (user, record)
    if full_roster:
        named = Counter(record.values["organization_id"] for record in accepted)
        identified = {user.pk for record in records for user in known.people_of(record)}
        _plan_leavers(plan, named, identified)
    _plan_returners(plan, inactive, full_roster)
    return plan


def _organization_names(ids):
    names = {}
    for chunk in chunked(sorted(ids)):
        for organization in Organization.objects.filter(pk__in=chunk).select_related("municipality"):
            place = organization.municipality or _("региональный орган")
            names[organization.pk] = f"{organization} ({place})"
    return names


def _plan_leavers(plan, named, identified):
    names = _organization_names(named)
    shares = {pk: OrganizationShare(pk, names[pk], rows=count) for pk, count in named.items()}
    columns = ("pk", "last_name", "first_name", "patronymic", "username", "organization_id", "position")
    for chunk in chunked(sorted(named)):
        active = User.objects.filter(organization_id__in=chunk, is_active=True)
        roles = _extra_roles(user__organization_id__in=chunk, user__is_active=True)
        for row in active.values_list(*columns, "is_staff", "is_superuser"):
            pk, last, first, patronymic, username, organization_id, position, is_staff, is_superuser = row
            share = shares[organization_id]
            share.active += 1
            if pk in identified:
                continue
            held = _role_labels(roles.get(pk, ()), is_staff, is_superuser)
            entry = PersonEntry(share.name, _full_name(last, first, patronymic, username), pk, position, held)
            if held:
                plan.leavers_kept.append(entry)
            else:
                plan.leavers.append(entry)
                share.leaving += 1
    plan.organizations = sorted(shares.values(), key=lambda share: share.name)
    plan.leavers.sort()
    plan.leavers_kept.sort()


def _plan_returners(plan, inactive, full_roster):
    if not inactive:
        return
    roles = {}
    if full_roster:
        for chunk in chunked(sorted(inactive)):
            roles.update(_extra_roles(user_id__in=chunk))
    organizations = _organization_names(
        {record.values.get("organization_id") or user.organization_id for user, record in inactive.values()}
        - {None}
    )
    for pk, (user, record) in inactive.items():
        organization_id = record.values.get("organization_id", user.organization_id)
        entry = PersonEntry(
            organizations.get(organization_id, ""),
            _full_name(*(record.values.get(name, getattr(user, name)) for name in _NAME_FIELDS)),
            pk,
            record.values.get("position", user.position),
            _role_labels(roles.get(pk, ()), user.is_staff, user.is_superuser),
            anonymized=user.anonymized_at is not None,
        )
        if full_roster and not entry.roles and not entry.anonymized:
            plan.returners.append(entry)
        else:
            plan.inactive_kept.append(entry)
    plan.returners.sort()
    plan.inactive_kept.sort()


_NAME_FIELDS = ("last_name", "first_name", "patronymic", "username")
# Stands for personal permissions (not through a group) among the names of a person's groups.
_PERSONAL_PERMISSIONS = object()


def _full_name(last_name, first_name, patronymic, username):
    return " ".join(part for part in (last_name, first_name, patronymic) if part) or username


def _extra_roles(**membership):
    """``{user id: [what the person holds besides the servant role]}``: group names and a marker for
    personal permissions, for the users that ``membership`` (lookups from a membership row) selects."""
    held = defaultdict(list)
    groups = User.groups.through.objects.filter(**membership).exclude(group__name=SERVANT_GROUP)
    for user_id, name in groups.values_list("user_id", "group__name").order_by("group__name"):
        held[user_id].append(name)
    permissions = User.user_permissions.through.objects.filter(**membership)
    for user_id in permissions.values_list("user_id", flat=True).distinct():
        held[user_id].append(_PERSONAL_PERMISSIONS)
    return held


def _role_labels(held, is_staff, is_superuser):
    """What a person holds, in words: «муниципальный менеджер», «администратор сайта»…"""
    roles = {name: role for role, name in GROUP_NAMES.items()}
    labels = []
    if is_superuser:
        labels.append(_("администратор сайта"))
    if is_staff:
        labels.append(_("доступ к админке Django"))
    for name in held:
        if name is _PERSONAL_PERMISSIONS:
            labels.append(_("личные права доступа"))
        elif name in roles:
            labels.append(str(roles[name].label).lower())
        else:
            labels.append(_("группа «%(name)s»") % {"name": name})
    return tuple(labels)
