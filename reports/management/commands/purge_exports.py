"""Remove export files past their retention, the expired export jobs and orphan files of the export
folder (see :mod:`reports.exports.retention`). Idempotent; run daily::

    30 3 * * *  cd /srv/antikor && .venv/bin/python manage.py purge_exports --quiet
"""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.exports.retention import purge_exports


class Command(BaseCommand):
    @property
    def help(self):  # a str, not a lazy string: argparse formats the description with re
        return _(
            "Удаляет файлы выгрузок старше срока хранения (REPORTS_EXPORT_RETENTION_DAYS, по умолчанию "
            "30 дней), сами выгрузки и файлы без выгрузки в папке выгрузок (запускайте раз в сутки по cron)."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            help=gettext_lazy("Срок хранения в днях вместо REPORTS_EXPORT_RETENTION_DAYS."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Только посчитать, ничего не удалять.")
        )
        parser.add_argument("--quiet", action="store_true", help=gettext_lazy("Ничего не выводить."))

    def handle(self, *args, days=None, dry_run=False, quiet=False, **options):
        try:
            result = purge_exports(days=days, dry_run=dry_run)
        except ValueError:
            raise CommandError(_("Срок хранения выгрузок должен быть не меньше одного дня.")) from None
        if quiet:
            return
        counts = {
            "files": result.files,
            "bytes": result.bytes,
            "size": filesizeformat(result.bytes),
            "orphans": result.orphans,
            "jobs": result.jobs,
        }
        if dry_run:
            message = _(
                "Пробный запуск, ничего не удалено. Было бы удалено файлов: %(files)s, байт: %(bytes)s "
                "(%(size)s), из них без выгрузки: %(orphans)s; выгрузок: %(jobs)s."
            )
        else:
            message = _(
                "Удалено файлов: %(files)s, байт: %(bytes)s (%(size)s), из них без выгрузки: %(orphans)s; "
                "выгрузок: %(jobs)s."
            )
        self.stdout.write(message % counts)
