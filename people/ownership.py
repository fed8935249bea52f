"""What a manager runs themselves: the audiences (and through them the campaigns and course assignments)
of a municipality.

A regional manager runs everything, the region's own audiences and every municipality's. A municipal
manager runs only what belongs to their municipality: audiences whose ``owner_municipality`` is it, and
the campaigns and assignments made for such audiences. An audience of a municipality never holds anybody
from elsewhere (:meth:`people.audience.Audience.members`), so whatever a municipal manager sends, opens or
assigns reaches only their own people, and the region's figures count it like any other.

The Wagtail admin views of those models use :class:`OwnedObjectsMixin` (single objects) and
:class:`OwnedListingMixin` (listings); anything else is "not found".
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .roles import Role, roles_of


def runs_everything(user):
    return user.is_authenticated and (user.is_superuser or Role.REGIONAL_MANAGER in roles_of(user))


def is_limited(user):
    """Is the user a municipal manager, who runs only their own municipality's audiences, campaigns and
    assignments? Anybody else is not limited here: a regional manager runs everything, and for the rest
    (a trainer viewing campaigns) the model permissions alone decide."""
    return user.is_authenticated and not runs_everything(user) and Role.MUNICIPAL_MANAGER in roles_of(user)


def own_municipality_id(user):
    """The municipality a municipal manager runs (None: they have none, or the user is not limited)."""
    return user.managed_municipality_id if is_limited(user) else None


def owned(user, queryset, audience_path="audience"):
    """The rows of ``queryset`` the user may work on: for a municipal manager those whose audience (reached
    through ``audience_path``; ``""`` for audiences themselves) belongs to their municipality (none if they
    have no municipality); for anybody else all of them."""
    if not is_limited(user):
        return queryset
    municipality_id = own_municipality_id(user)
    if municipality_id is None:
        return queryset.none()
    field = f"{audience_path}__owner_municipality_id" if audience_path else "owner_municipality_id"
    return queryset.filter(**{field: municipality_id})


class OwnMunicipalityRequiredMixin:
    """For Wagtail's admin views of these models: a municipal manager with no municipality of their own
    runs nothing, so they are refused (403) whatever the model permissions of their role say."""

    def dispatch(self, request, *args, **kwargs):
        if is_limited(request.user) and own_municipality_id(request.user) is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OwnedObjectsMixin(OwnMunicipalityRequiredMixin):
    """For Wagtail's single-object admin views (edit, delete, history, usage): an object the user does not
    run is "not found", whatever the model permissions say. ``audience_path`` as in :func:`owned`."""

    audience_path = "audience"

    def get_object(self, *args, **kwargs):  # some views take a queryset, history and usage none
        obj = super().get_object(*args, **kwargs)
        if not owned(
            self.request.user, type(obj)._default_manager.filter(pk=obj.pk), self.audience_path
        ).exists():
            raise Http404
        return obj


class OwnedListingMixin(OwnMunicipalityRequiredMixin):
    """For a Wagtail index view: only the rows the user runs (:func:`owned`)."""

    audience_path = "audience"

    def get_base_queryset(self):
        return owned(self.request.user, super().get_base_queryset(), self.audience_path)
