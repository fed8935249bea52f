from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from quizzes.services.importing import get_or_create_category, import_questions


class Command(BaseCommand):
    help = (
        "Import questions into the bank from a GIFT (.gift/.txt), Aiken (.txt) or XLSX file. "
        "Any error in the file means nothing is imported. Format: docs/import-questions.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="GIFT, Aiken or XLSX file")
        parser.add_argument(
            "--category",
            help='put every question into this category, e.g. "Тема/Подтема" (created when missing); '
            "by default the file's own categories are used",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, *args, file, category, dry_run, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Не удалось прочитать файл «%(name)s»: %(error)s") % {"name": file, "error": error}
            ) from error
        with transaction.atomic():
            target = get_or_create_category(category) if category else None
            report = import_questions(path.name, data, category=target, dry_run=dry_run)
            if dry_run or report.errors:
                transaction.set_rollback(True)  # not even the target category stays
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError(_("Импорт не выполнен."), returncode=1)
