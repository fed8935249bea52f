from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quizzes.services.exporting import export_gift
from quizzes.services.importing import find_category


class Command(BaseCommand):
    help = "Export the questions of a category (and below) as GIFT, readable by Moodle and our import."

    def add_arguments(self, parser):
        parser.add_argument("--category", required=True, help='category path, e.g. "Тема/Подтема"')
        parser.add_argument("--output", help="file to write (UTF-8); standard output by default")
        parser.add_argument(
            "--no-subcategories", action="store_true", help="only the category itself, not the ones below it"
        )

    def handle(self, *args, category, output, no_subcategories, **options):
        found = find_category(category)
        if found is None:
            raise CommandError(_("Категория «%(path)s» не найдена.") % {"path": category}, returncode=1)
        text = export_gift(found, include_subcategories=not no_subcategories)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
