"""The named roster of an audience (``Audience.people``): managers add and remove people of their scope.

An audience's rule (municipalities, organizations, categories, flags) misses people the HR roster does
not describe well: a new hire without a hire date, a person seconded from another body. The roster adds
them by name. Regional managers work on every audience and anybody; a municipal manager on the
audiences that concern their municipality (:func:`concerns`), adding, removing and seeing only the
people of their scope (:class:`~people.scope.Scope`); everybody else: nothing.

Every change needs a reason and is written to Wagtail's log of the audience (its «История» in the admin
and the site history report): who, when, whom and why. The entry names the person by id only and shows
their name as it is now, so a person anonymized later appears under their pseudonym.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

from .audience import Audience
from .models import User
from .roles import Role, roles_of
from .scope import Scope

ROSTER_ROLES = {Role.MUNICIPAL_MANAGER, Role.REGIONAL_MANAGER}
ADDED = "people.roster_add"
REMOVED = "people.roster_remove"
MAX_REASON_LENGTH = 1000
MAX_FOUND = 30
SEARCH_FIELDS = ("last_name", "first_name", "patronymic", "email", "username")


class RosterError(Exception):
    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


def may_edit_rosters(user):
    return bool(roles_of(user) & ROSTER_ROLES) and not Scope.for_user(user).is_empty


def clean_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise RosterError(_("Укажите причину."))
    if len(reason) > MAX_REASON_LENGTH:
        raise RosterError(
            _("Причина слишком длинная: не больше %(max)s символов.") % {"max": MAX_REASON_LENGTH}
        )
    return reason


def concerns(audience, scope):
    """Does the audience concern the scope: it belongs to a municipality of the scope, or (a regional
    audience) somebody of the scope is a member, or the rule names no municipality and no organization
    (a rule for the whole region, e.g. «впервые поступившие»)?"""
    if scope.everything:
        return True
    if scope.is_empty:
        return False
    if audience.owner_municipality_id is not None:
        return audience.owner_municipality_id in set(scope.municipalities().values_list("pk", flat=True))
    if not audience.municipalities.exists() and not audience.organizations.exists():
        return True
    return scope.people(audience.members()).exists()


def audiences_for(scope):
    """The audiences whose rosters the scope works on, by title (a list: rules are checked one by one)."""
    audiences = Audience.objects.prefetch_related("municipalities", "organizations").order_by("title", "pk")
    return [audience for audience in audiences if concerns(audience, scope)]


def roster_in_scope(audience, scope):
    """The people on the audience's roster whom the scope may see, by name."""
    return (
        scope.people(audience.people.all())
        .select_related("organization", "municipality")
        .order_by("last_name", "first_name", "patronymic", "pk")
    )


def _spellings(word):
    """The ways a word may be stored: SQLite compares only Latin letters regardless of case."""
    return {word, word.lower(), word.upper(), word.capitalize()}


def search_people(scope, text, exclude=None):
    """Active people of the scope whose name, email or login holds every word of ``text`` (at most
    :data:`MAX_FOUND`, by name)."""
    words = [word for word in (text or "").split() if word][:5]
    if not words:
        return User.objects.none()
    people = scope.people(User.objects.active())
    for word in words:
        condition = Q()
        for spelling in _spellings(word[:100]):
            for field in SEARCH_FIELDS:
                condition |= Q(**{f"{field}__icontains": spelling})
        people = people.filter(condition)
    if exclude is not None:
        people = people.exclude(pk__in=exclude.values("pk"))
    return people.select_related("organization", "municipality").order_by(
        "last_name", "first_name", "patronymic", "pk"
    )[:MAX_FOUND]


def _people_in_scope(actor, people):
    ids = {person.pk for person in people}
    allowed = set(Scope.for_user(actor).people().filter(pk__in=ids).values_list("pk", flat=True))
    if allowed != ids:
        raise RosterError(
            _("Можно менять поимённый список только в пределах своего муниципального образования.")
        )


def _log(audience, action, actor, person, reason):
    from wagtail.models import ModelLogEntry

    ModelLogEntry.objects.log_action(
        audience, action, user=actor, data={"person": person.pk, "reason": reason}
    )


def add_to_roster(actor, audience, people, reason):
    """Add ``people`` (of the actor's scope, active) to the roster; returns those added."""
    reason = clean_reason(reason)
    people = list(people)
    if not people:
        raise RosterError(_("Отметьте, кого добавить."))
    if not may_edit_rosters(actor) or not concerns(audience, Scope.for_user(actor)):
        raise RosterError(_("Поимённые списки аудиторий меняют менеджеры."))
    _people_in_scope(actor, people)
    if any(not person.is_active for person in people):
        raise RosterError(_("Уволенных и заблокированных в поимённый список не добавляют."))
    with transaction.atomic():
        Audience.objects.select_for_update().filter(pk=audience.pk).exists()  # one roster edit at a time
        present = set(audience.people.filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
        added = [person for person in people if person.pk not in present]
        if not added:
            raise RosterError(_("Эти люди уже в поимённом списке."))
        audience.people.add(*added)
        for person in added:
            _log(audience, ADDED, actor, person, reason)
    return added


def remove_from_roster(actor, audience, people, reason):
    """Remove ``people`` (of the actor's scope) from the roster; returns those removed."""
    reason = clean_reason(reason)
    people = list(people)
    if not people:
        raise RosterError(_("Отметьте, кого убрать."))
    if not may_edit_rosters(actor) or not concerns(audience, Scope.for_user(actor)):
        raise RosterError(_("Поимённые списки аудиторий меняют менеджеры."))
    _people_in_scope(actor, people)
    with transaction.atomic():
        Audience.objects.select_for_update().filter(pk=audience.pk).exists()
        present = set(audience.people.filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
        removed = [person for person in people if person.pk in present]
        if not removed:
            raise RosterError(_("Этих людей нет в поимённом списке."))
        audience.people.remove(*removed)
        for person in removed:
            _log(audience, REMOVED, actor, person, reason)
    return removed


def roster_history(audience, scope, limit=100):
    """The roster changes of the audience about people the scope may see, newest first."""
    from wagtail.models import ModelLogEntry

    entries = list(
        ModelLogEntry.objects.for_instance(audience)
        .filter(action__in=(ADDED, REMOVED))
        .select_related("user")
        .order_by("-timestamp", "-pk")[: limit * 5]
    )
    visible = set(
        scope.people()
        .filter(pk__in={entry.data.get("person") for entry in entries})
        .values_list("pk", flat=True)
    )
    people = User.objects.in_bulk(visible)
    found = []
    for entry in entries:
        person = people.get(entry.data.get("person"))
        if person is not None:
            entry.person = person
            entry.added = entry.action == ADDED
            entry.reason = entry.data.get("reason", "")
            found.append(entry)
    return found[:limit]


def _person_name(person):
    return (person.get_full_name() or person.username) if person else gettext("нет в справочнике")


class RosterFormatter(LogFormatter):
    template = ""

    def format_message(self, log_entry):
        """The change and its reason (the admin's history shows the message only)."""
        person = User.objects.filter(pk=log_entry.data.get("person")).first()
        return gettext("%(change)s. Причина: %(reason)s") % {
            "change": str(self.template) % {"person": _person_name(person)},
            "reason": log_entry.data.get("reason", ""),
        }

    def format_comment(self, log_entry):
        return log_entry.data.get("reason", "")


def register_log_actions(actions):
    """For the ``register_log_actions`` hook (people/wagtail_hooks.py)."""

    @actions.register_action(ADDED)
    class Added(RosterFormatter):
        label = _("Добавление в поимённый список")
        template = _("Добавление в поимённый список: %(person)s")

    @actions.register_action(REMOVED)
    class Removed(RosterFormatter):
        label = _("Исключение из поимённого списка")
        template = _("Исключение из поимённого списка: %(person)s")
