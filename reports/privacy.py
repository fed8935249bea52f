"""Personal data of reports (registered in ``ReportsConfig.ready``, see :mod:`people.privacy`).

* Retention: ``RETENTION_AUDIT_YEARS`` after an export, its entry in the export audit log is deleted.
  The log is append-only (:class:`~people.append_only.AppendOnlyQuerySet` refuses ``update`` and
  ``delete``): the retention is the one path by which entries leave it, whole and only past their
  period; none is ever changed. Anonymizing a manager leaves their entries as they are (who exported
  what is the purpose of the log) until their own period ends.
* «Мои данные»: the exports the person made, as the log records them.
"""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.privacy import DataSheet, RetentionRule, register_provider, register_rule

from .models import ExportAuditEntry


def _old_entries(cutoff):
    return ExportAuditEntry.objects.filter(created_at__lt=cutoff)


def delete_old_entries(cutoff):
    """Delete the entries made before ``cutoff``: the base QuerySet's delete, past the log's guard."""
    return models.QuerySet.delete(_old_entries(cutoff))[1].get(ExportAuditEntry._meta.label, 0)


AUDIT = RetentionRule(
    key="export_audit",
    label=gettext_lazy("Журнал выгрузок персональных данных"),
    setting="RETENTION_AUDIT_YEARS",
    default_years=3,
    counted_from=gettext_lazy("после выгрузки"),
    outcome=gettext_lazy("Записи журнала удаляются."),
    count=lambda cutoff: _old_entries(cutoff).count(),
    apply=lambda cutoff, now: delete_old_entries(cutoff),
    order=20,
)


def my_exports(user):
    return [
        DataSheet(
            _("Мои выгрузки"),
            [_("Когда"), _("Таблица"), _("Формат"), _("Границы доступа"), _("Период"), _("Строк")],
            [
                [
                    entry.created_at,
                    entry.table_title,
                    entry.get_format_display(),
                    entry.scope,
                    entry.period,
                    entry.row_count,
                ]
                for entry in ExportAuditEntry.objects.filter(user=user).order_by("created_at", "pk")
            ],
        )
    ]


def register():
    register_rule(AUDIT)
    register_provider(my_exports, order=50)
