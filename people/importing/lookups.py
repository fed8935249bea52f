"""Municipalities and organizations by the names people type, loaded once per import (two queries)."""

import re
from collections import defaultdict

from django.utils.translation import gettext as _

from people.models import Municipality, Organization

from .values import BadValue

_QUOTES = re.compile(r"[«»\"“”„‟'‘’‚`]")
_SPACES = re.compile(r"\s+")


def name_key(name):
    """A name for matching: case, quotes, ё/е and extra spaces do not matter."""
    name = _QUOTES.sub(" ", str(name or "").lower().replace("ё", "е"))
    return _SPACES.sub(" ", name).strip()


class Directory:
    def __init__(self, municipalities, organizations):
        """Rows of ``(pk, name, short_name)`` and ``(pk, name, short_name, municipality_id)``."""
        self._municipalities = defaultdict(set)
        self.municipality_names = {}
        for pk, name, short_name in municipalities:
            self.municipality_names[pk] = short_name or name
            for key in {name_key(name), name_key(short_name)} - {""}:
                self._municipalities[key].add(pk)
        self._organizations = defaultdict(set)
        for pk, name, short_name, municipality_id in organizations:
            for key in {name_key(name), name_key(short_name)} - {""}:
                self._organizations[municipality_id, key].add(pk)

    @classmethod
    def load(cls):
        return cls(
            Municipality.objects.values_list("pk", "name", "short_name"),
            Organization.objects.values_list("pk", "name", "short_name", "municipality_id"),
        )

    def municipality(self, name):
        """The pk of the municipality called ``name``; ``None`` for an empty name."""
        key = name_key(name)
        if not key:
            return None
        found = self._municipalities.get(key, ())
        if len(found) == 1:
            return next(iter(found))
        if not found:
            raise BadValue(_("неизвестное муниципальное образование «%(name)s»") % {"name": name})
        raise BadValue(
            _("название «%(name)s» подходит к нескольким муниципальным образованиям; укажите полное")
            % {"name": name}
        )

    def organization(self, name, municipality_id):
        """The pk of the organization ``name`` in the municipality (``None``: among regional bodies)."""
        key = name_key(name)
        if not key:
            return None
        found = self._organizations.get((municipality_id, key), ())
        if len(found) == 1:
            return next(iter(found))
        if found:
            message = _("название «%(name)s» подходит к нескольким организациям; укажите полное")
        elif municipality_id is None:
            message = _(
                "организация «%(name)s» не найдена среди региональных органов "
                "(муниципальное образование не указано)"
            )
        else:
            message = _("организация «%(name)s» не найдена в муниципальном образовании «%(municipality)s»")
        raise BadValue(message % {"name": name, "municipality": self.municipality_names.get(municipality_id)})
