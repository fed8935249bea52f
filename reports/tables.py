"""Tables: the one shape the dashboard shows, the exports write (XLSX/CSV) and the plan report reuses.

A table is built by a registered builder from a :class:`ReportRequest` (who asks, for which period and
with which parameters). The request holds only plain values, so a background export task can rebuild
the same table later from the user's id: the scope is always computed again from the user, never
passed in from outside.

    @register_table("municipalities", _("Сводка по муниципальным образованиям"))
    def municipalities_table(request: ReportRequest) -> Table: ...
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404

from people.scope import Scope

from .period import Period


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    personal: bool = False  # rows name people: exporting it is written to the audit log
    footer: dict[str, Any] | None = None  # totals row, keyed like rows

    def values(self, row):
        return [row.get(column.key) for column in self.columns]


@dataclass(frozen=True)
class ReportRequest:
    user_id: int
    period: Period
    params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_http(cls, request, params=None):
        """From a Django request: the period from its GET parameters (ValueError on bad input)."""
        return cls(request.user.pk, Period.from_params(request.GET), dict(params or {}))

    def as_dict(self):
        return {"user_id": self.user_id, **self.period.as_params(), "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data):
        return cls(data["user_id"], Period.from_params(data), dict(data.get("params") or {}))

    @property
    def user(self):
        return get_user_model().objects.get(pk=self.user_id)

    @property
    def scope(self):
        return Scope.for_user(self.user)


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: str
    build: Callable[[ReportRequest], Table]
    personal: bool = False


_REGISTRY: dict[str, TableSpec] = {}


def register_table(key, title, *, personal=False):
    def decorator(build):
        if key in _REGISTRY and _REGISTRY[key].build is not build:
            raise ValueError(f"report table {key!r} registered twice")
        _REGISTRY[key] = TableSpec(key, title, build, personal)
        return build

    return decorator


def table_spec(key):
    try:
        return _REGISTRY[key]
    except KeyError:
        raise Http404 from None


def registered_tables():
    return dict(_REGISTRY)
