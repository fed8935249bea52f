from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quizzes.services.importing import get_or_create_category, import_questions


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _(
            "Импортирует вопросы в банк из файла GIFT (.gift/.txt), Aiken (.txt) или XLSX. "
            "При любой ошибке в файле не импортируется ничего. Формат: docs/import-questions.md."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("файл GIFT, Aiken или XLSX"))
        parser.add_argument(
            "--category",
            help=gettext_lazy(
                "поместить все вопросы в эту категорию, например «Тема/Подтема» (создаётся, если её "
                "нет); по умолчанию — категории из самого файла"
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("только проверить, ничего не записывать")
        )

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
