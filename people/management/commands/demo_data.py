"""manage.py demo_data: a region full of demo servants, four demo accounts and other apps' demo content."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.demo import DEMO_PASSWORD, build_people, credentials_rows, run_builders
from people.region import region_is_loaded


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _(
            "Создаёт демонстрационные данные: слушателей по всей области, органы и учреждения "
            "муниципалитетов, учётные записи преподавателя, регионального и муниципального менеджеров "
            "и слушателя, затем демонстрационное содержимое других приложений. Повторный запуск "
            "никого не дублирует."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--servants",
            type=int,
            default=300,
            help=gettext_lazy("Сколько слушателей должно быть (недостающие создаются; по умолчанию 300)."),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help=gettext_lazy("Начальное значение генератора: одно и то же даёт тех же людей."),
        )
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help=gettext_lazy("Пароль всех демонстрационных учётных записей."),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_lazy("Запустить при DEBUG=False (учётные записи с известным паролем!)."),
        )

    def handle(self, *args, servants, seed, password, force, **options):
        if servants < 0:
            raise CommandError(_("Число слушателей не может быть отрицательным."))
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "DEBUG выключен: похоже, это рабочий сервер. Демонстрационные учётные записи имеют "
                    "известный пароль; если они действительно нужны, добавьте --force."
                )
            )
        started = time.perf_counter()
        if not region_is_loaded():
            self.stdout.write(_("Справочник региона не загружен — загружаю."))
            call_command("load_region", stdout=self.stdout, stderr=self.stderr)

        result = build_people(servants=servants, seed=seed, password=password)
        for line in result.summary_lines():
            self.stdout.write(line)

        run_builders(self.stdout, {**options, "servants": servants, "seed": seed, "password": password})

        self.stdout.write(_("Готово за %(seconds).1f с.") % {"seconds": time.perf_counter() - started})
        self.write_credentials(credentials_rows(result, password, servants))

    def write_credentials(self, rows):
        header = (_("Логин"), _("Пароль"), _("Роль"), _("Организация"))
        widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]

        def line(cells):
            return "  ".join(
                str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Демонстрационные учётные записи")))
        self.stdout.write(line(header))
        self.stdout.write(line("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))
