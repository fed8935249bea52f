"""Test data builders for people, municipalities and organizations (plain functions, no magic)."""

import itertools

from .models import Municipality, Organization, ServiceCategory, User
from .roles import Role, assign_role

_counter = itertools.count(1)


def make_municipality(name=None, kind=Municipality.Kind.DISTRICT, parent=None, **extra):
    n = next(_counter)
    return Municipality.objects.create(
        name=name or f"Муниципальное образование {n}", kind=kind, parent=parent, **extra
    )


def make_organization(municipality=None, name=None, kind=None, **extra):
    n = next(_counter)
    kind = kind or (
        Organization.Kind.LOCAL_ADMINISTRATION if municipality else Organization.Kind.REGIONAL_EXECUTIVE
    )
    return Organization.objects.create(
        name=name or f"Организация {n}", kind=kind, municipality=municipality, **extra
    )


def make_person(organization=None, municipality=None, role=Role.SERVANT, password=None, **fields):
    n = next(_counter)
    fields.setdefault("username", f"person{n}")
    fields.setdefault("last_name", f"Иванов{n}")
    fields.setdefault("first_name", "Иван")
    fields.setdefault("email", f"person{n}@example.org")
    fields.setdefault("category", ServiceCategory.MUNICIPAL)
    if municipality is None and organization is not None:
        municipality = organization.municipality
    user = User(organization=organization, municipality=municipality, **fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    if role:
        assign_role(user, role)
    return user


def make_municipal_manager(municipality, **fields):
    return make_person(
        municipality=municipality, role=Role.MUNICIPAL_MANAGER, managed_municipality=municipality, **fields
    )


def make_regional_manager(**fields):
    return make_person(role=Role.REGIONAL_MANAGER, category=ServiceCategory.STATE_CIVIL, **fields)
