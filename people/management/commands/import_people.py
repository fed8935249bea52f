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
            "ничего. С --full-roster деактивирует слушателей названных в файле организаций, которых в "
            "нём нет. Формат: docs/import-people.md."
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
        parser.add_argument(
            "--full-roster",
            action="store_true",
            help=gettext_lazy(
                "файл — полный состав названных в нём организаций: отсутствующих в нём слушателей этих "
                "организаций деактивировать, вернувшихся — снова сделать активными"
            ),
        )
        parser.add_argument(
            "--confirm-deactivation",
            action="store_true",
            help=gettext_lazy(
                "деактивировать, даже если файл выводит из организации больше допустимой доли людей или "
                "в нём есть строки с ошибками"
            ),
        )

        parser.add_argument(
            "--invite",
            action="store_true",
            help=gettext_lazy(
                "отправить новым людям с email приглашение со ссылкой для создания пароля (людям без "
                "email коды печатает координатор на странице «Приглашения» в админке)"
            ),
        )

    def handle(
        self, *args, file, skip_invalid, dry_run, full_roster, confirm_deactivation, invite, **options
    ):
        report = import_people(
            file,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            full_roster=full_roster,
            confirm_deactivation=confirm_deactivation,
            invite=invite,
        )
        if report.fatal:
            raise CommandError(report.outcome(), returncode=1)
        for line in report.summary_lines():
            self.stdout.write(line)
        if report.blocked:
            raise CommandError(
                _("Проверьте список и, если он верен, повторите с --confirm-deactivation."), returncode=1
            )
        if report.errors:
            raise CommandError(
                _("Отклонено строк: %(rejected)s.") % {"rejected": report.rejected}, returncode=1
            )
