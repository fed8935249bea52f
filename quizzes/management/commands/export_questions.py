from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quizzes.services.exporting import export_gift, export_moodle_xml
from quizzes.services.importing import find_category


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _(
            "Выгружает вопросы категории (и вложенных) в формате GIFT или Moodle XML, которые читают Moodle "
            "и наш импорт."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--category", required=True, help=gettext_lazy("путь категории, например «Тема/Подтема»")
        )
        parser.add_argument(
            "--output", help=gettext_lazy("файл для записи (UTF-8); по умолчанию — стандартный вывод")
        )
        parser.add_argument(
            "--format",
            choices=["gift", "xml"],
            default="gift",
            help=gettext_lazy("gift (по умолчанию) или xml — Moodle XML с изображениями"),
        )
        parser.add_argument(
            "--no-subcategories",
            action="store_true",
            help=gettext_lazy("только сама категория, без вложенных"),
        )

    def handle(self, *args, category, output, no_subcategories, **options):
        found = find_category(category)
        if found is None:
            raise CommandError(_("Категория «%(path)s» не найдена.") % {"path": category}, returncode=1)
        if options.get("format") == "xml":
            data = export_moodle_xml(found, include_subcategories=not no_subcategories)
            if output:
                Path(output).write_bytes(data)
            else:
                self.stdout.write(data.decode("utf-8"), ending="")
            return
        text = export_gift(found, include_subcategories=not no_subcategories)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
