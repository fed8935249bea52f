"""Loading the region (:mod:`people.region_data`) into the directory.

Idempotent: a municipality is found by its name, an organization by its name (case-insensitive)
inside its municipality; only fields that differ are written, so a second run writes nothing.
Nothing is ever deleted: people point at these records.

    result = load_region()
    result.created, result.updated, result.changed
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from . import region_data
from .models import Municipality, Organization


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged


@dataclass
class LoadResult:
    municipalities: Tally = field(default_factory=Tally)
    organizations: Tally = field(default_factory=Tally)

    @property
    def created(self):
        return self.municipalities.created + self.organizations.created

    @property
    def updated(self):
        return self.municipalities.updated + self.organizations.updated

    @property
    def changed(self):
        return bool(self.created or self.updated)

    def summary_lines(self):
        """The result in Russian, one statement a line."""
        line = _("%(what)s: создано %(created)d, обновлено %(updated)d, без изменений %(unchanged)d.")
        lines = [
            line % {"what": what, **vars(tally)}
            for what, tally in (
                (_("Муниципальные образования"), self.municipalities),
                (_("Органы и организации"), self.organizations),
            )
        ]
        if not self.changed:
            lines.append(_("Справочник региона уже загружен: ничего не изменено."))
        return lines


def _sync(model, obj, values, tally):
    """Create ``obj`` (None: not there yet) from ``values`` or bring it up to date; count the outcome."""
    if obj is None:
        obj = model.objects.create(**values)
        tally.created += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        tally.updated += 1
    else:
        tally.unchanged += 1
    return obj


def find_organization(name, municipality):
    """The organization called ``name`` in ``municipality`` (None: regional), ignoring case.

    Compared in Python: SQLite's ``LOWER``/``LIKE`` fold ASCII letters only, not Cyrillic ones.
    """
    organizations = Organization.objects.filter(municipality=municipality)
    exact = organizations.filter(name=name).first()
    if exact is not None:
        return exact
    wanted = name.casefold()
    return next((org for org in organizations if org.name.casefold() == wanted), None)


def sync_organization(name, short_name, kind, municipality, tally, parent=None):
    """Create or update an organization found by its name (case-insensitive) in ``municipality``."""
    return _sync(
        Organization,
        find_organization(name, municipality),
        {
            "name": name,
            "short_name": short_name,
            "kind": kind,
            "municipality": municipality,
            # A parent set in the admin is kept unless the caller names one.
            **({"parent": parent} if parent is not None else {}),
        },
        tally,
    )


@transaction.atomic
def load_region(
    municipalities=region_data.MUNICIPALITIES,
    authorized_body=region_data.AUTHORIZED_BODY,
    regional_bodies=region_data.REGIONAL_EXECUTIVE_BODIES,
):
    result = LoadResult()
    sync_organization(
        authorized_body.name,
        authorized_body.short_name,
        Organization.Kind.AUTHORIZED_BODY,
        None,
        result.organizations,
    )
    for body in regional_bodies:
        sync_organization(
            body.name, body.short_name, Organization.Kind.REGIONAL_EXECUTIVE, None, result.organizations
        )
    for data in municipalities:
        municipality = _sync(
            Municipality,
            Municipality.objects.filter(name=data.name).first(),
            {
                "name": data.name,
                "short_name": data.short_name,
                "kind": data.kind,
                "center": data.center,
                "parent": None,
                # An OKTMO code typed in the admin is kept while the data has none.
                **({"oktmo": data.oktmo} if data.oktmo else {}),
            },
            result.municipalities,
        )
        sync_organization(
            data.administration,
            data.administration_short,
            Organization.Kind.LOCAL_ADMINISTRATION,
            municipality,
            result.organizations,
        )
    return result


def _all_present(queryset, names):
    return queryset.filter(name__in=names).values("name").distinct().count() == len(names)


def region_is_loaded(
    municipalities=region_data.MUNICIPALITIES,
    authorized_body=region_data.AUTHORIZED_BODY,
    regional_bodies=region_data.REGIONAL_EXECUTIVE_BODIES,
):
    """Whether every record of the data is in the database, by name (a cheap check, not a full diff)."""
    municipality_names = {data.name for data in municipalities}
    regional_names = {authorized_body.name, *(body.name for body in regional_bodies)}
    administration_names = {data.administration for data in municipalities}
    return (
        _all_present(Municipality.objects.all(), municipality_names)
        and _all_present(Organization.objects.filter(municipality=None), regional_names)
        and _all_present(
            Organization.objects.filter(municipality__name__in=municipality_names), administration_names
        )
    )
