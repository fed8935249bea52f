"""The audit log's side of :mod:`people.personal_exports`: one entry per file with people in it.

:func:`record_entry` is the recorder ``reports`` registers in ``ready()``; :func:`readable_params`
turns a report table's query parameters into what a reader of the log understands (names of
municipalities and organizations, the plan's year, the plan item's number), in Russian.
"""

from django.utils.translation import gettext as _

from people.models import Municipality, Organization

from ..dashboard.slices import NO_ORGANIZATION, REGIONAL
from ..models import ExportAuditEntry

# Parameters of report tables that only order or page the rows: not worth a line in the log.
LAYOUT_PARAMS = {"sort", "page"}


def record_entry(export):
    return ExportAuditEntry.objects.create(
        user=export.user,
        username=export.user.get_username(),
        table_key=export.key,
        table_title=str(export.title)[:500],
        format=export.format,
        scope=str(export.scope)[:500],
        period=str(export.period)[:100],
        params={str(label): str(value) for label, value in export.params.items()},
        row_count=export.row_count,
        job=export.job,
    )


def _name(model, pk):
    try:
        found = model.objects.filter(pk=int(pk)).first()
    except (ValueError, TypeError, OverflowError):
        found = None
    return str(found) if found is not None else _("№ %(pk)s (не найдено)") % {"pk": pk}


def readable_params(params):
    """``{"municipality": "26", "plan": "2024"}`` → ``{"Муниципальное образование": "Город Обнинск",
    "План": "2024"}``; an unknown parameter keeps its name and value."""
    readable = {}
    for name, value in params.items():
        if name in LAYOUT_PARAMS or value in (None, ""):
            continue
        if name == "municipality":
            label = _("Муниципальное образование")
            text = _("региональные органы") if value == REGIONAL else _name(Municipality, value)
        elif name == "organization":
            label = _("Организация")
            text = _("без организации") if value == NO_ORGANIZATION else _name(Organization, value)
        elif name == "plan":
            label, text = _("План на год"), value
        elif name == "item":
            label, text = _("Пункт плана"), value
        else:
            label, text = name, value
        readable[label] = text
    return readable
