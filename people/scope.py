"""What part of the region a user may see.

Every query for people, and every later query for their results, goes through a :class:`Scope`:
``Scope.for_user(request.user).people()`` or ``scope.filter(Sitting.objects.all(), "user__municipality")``.
A municipal manager sees one municipality with its settlements; a regional manager sees all;
anybody else sees nobody. The default is to see nothing.
"""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Municipality, Organization, User
from .roles import Role, roles_of


class Scope:
    def __init__(self, user, municipality_ids=None, *, everything=False):
        self.user = user
        self.everything = everything
        self.municipality_ids = frozenset(municipality_ids or ())

    @classmethod
    def for_user(cls, user):
        roles = roles_of(user)
        if Role.REGIONAL_MANAGER in roles:
            return cls(user, everything=True)
        if Role.MUNICIPAL_MANAGER in roles and user.managed_municipality_id:
            return cls(user, {user.managed_municipality_id})
        return cls(user)

    @property
    def is_empty(self):
        return not self.everything and not self.municipality_ids

    def description(self):
        """The scope in words, as the audit log of exports shows it."""
        if self.everything:
            return _("вся область")
        if self.is_empty:
            return _("нет доступа")
        return ", ".join(
            str(m) for m in Municipality.objects.filter(pk__in=self.municipality_ids).order_by("name")
        )

    def _q(self, municipality_path):
        """A condition on ``municipality_path`` (a FK to Municipality) that keeps only what is in scope."""
        if self.everything:
            return Q()
        ids = self.municipality_ids
        return Q(**{f"{municipality_path}__in": ids}) | Q(**{f"{municipality_path}__parent__in": ids})

    def filter(self, queryset, municipality_path="municipality"):
        """Narrow any queryset whose rows reach a municipality through ``municipality_path``."""
        if self.is_empty:
            return queryset.none()
        return queryset.filter(self._q(municipality_path))

    def people(self, queryset=None):
        return self.filter(User.objects.all() if queryset is None else queryset, "municipality")

    def municipalities(self):
        if self.is_empty:
            return Municipality.objects.none()
        if self.everything:
            return Municipality.objects.all()
        return Municipality.objects.with_settlements_of(self.municipality_ids)

    def organizations(self):
        return self.filter(Organization.objects.all(), "municipality")

    def covers_municipality(self, municipality):
        if self.everything:
            return True
        return municipality is not None and (
            municipality.pk in self.municipality_ids or municipality.parent_id in self.municipality_ids
        )

    def get_person_or_404(self, pk):
        """A person in scope; anything else is "not found", never "forbidden" (no existence oracle)."""
        try:
            return self.people().get(pk=pk)
        except (User.DoesNotExist, ValueError, TypeError):
            raise Http404 from None

    def get_municipality_or_404(self, pk):
        try:
            return self.municipalities().get(pk=pk)
        except (Municipality.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


MANAGER_ROLES = frozenset({Role.MUNICIPAL_MANAGER, Role.REGIONAL_MANAGER})


def manager_scope(user):
    """The scope of a municipal or regional manager who sees somebody; anybody else: 403."""
    from django.core.exceptions import PermissionDenied

    if not roles_of(user) & MANAGER_ROLES:
        raise PermissionDenied
    scope = Scope.for_user(user)
    if scope.is_empty:
        raise PermissionDenied
    return scope


def is_manager(user):
    return bool(
        user.is_authenticated and roles_of(user) & MANAGER_ROLES and not Scope.for_user(user).is_empty
    )
