from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.importing import import_people


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _(
            "Импортирует служащих из кадрового списка (CSV или XLSX): создаёт новых пользователей, "
            "обновляет известных. По умолчанию строго: при любой ошибочной строке не импортируется "
            "ничего. Формат: docs/import-people.md."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help=gettext_lazy("файл CSV (UTF-8 или Windows-1251, «;» или «,») или XLSX")
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help=gettext_lazy(
                "импортировать верные строки и перечислить ошибочные (вместо отказа от всего файла)"
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("только проверить, ничего не записывать")
        )

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
