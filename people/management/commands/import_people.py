from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from people.importing import import_people


class Command(BaseCommand):
    help = (
        "Import people from an HR roster (CSV or XLSX): creates new users, updates known ones. "
        "Strict by default: any bad row means nothing is imported. Format: docs/import-people.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8 or Windows-1251, ';' or ',') or XLSX file")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid rows and report the bad ones instead of importing nothing",
        )
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")

    def handle(self, *args, file, skip_invalid, dry_run, **options):
        report = import_people(file, skip_invalid=skip_invalid, dry_run=dry_run)
        if report.fatal:
            raise CommandError(report.outcome(), returncode=1)
        for line in report.summary_lines():
            self.stdout.write(line)
        if report.errors:
            raise CommandError(
                _("Отклонено строк: %(rejected)s.") % {"rejected": report.rejected}, returncode=1
            )
