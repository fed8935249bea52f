"""manage.py load_plan: put an anti-corruption plan into the registry (the 2024 plan by default)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.plan_import import read_plan_file
from cms.plan_loading import BUNDLED_PLAN_2024, load_plan, read_plan_json
from cms.plan_seed import PlanDataError, PlanParseError, parse_plan_text
from cms.plan_years import continuation


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _(
            "Загружает план противодействия коррупции в реестр (по умолчанию — план на 2024 год из "
            "cms/data/plan_2024.json). Повторный запуск ничего не меняет; мероприятия, которых нет в "
            "данных, не удаляются, а перечисляются."
        )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--file",
            type=Path,
            help=gettext_lazy(
                "Файл плана: JSON в формате cms/data/plan_2024.json или XLSX по шаблону импорта "
                "(см. docs/plans.md)."
            ),
        )
        source.add_argument(
            "--from-seed",
            type=Path,
            metavar="TXT",
            help=gettext_lazy("Текстовая выгрузка постановления об утверждении плана (КонсультантПлюс)."),
        )

    def handle(self, *args, file=None, from_seed=None, **options):
        if file and Path(file).suffix.casefold() == ".xlsx":
            data = self.read_xlsx(file)
        else:
            data = self.read_other(file, from_seed)
        result = load_plan(data)
        for line in result.summary_lines():
            self.stdout.write(line)
        for line in continuation(data).summary_lines():
            self.stdout.write(line)
        if result.stale_sections or result.stale_items:
            self.stderr.write(
                self.style.WARNING(_("Проверьте устаревшие записи в админке и удалите их вручную."))
            )

    def read_xlsx(self, file):
        try:
            content = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(_("Не удалось прочитать файл: %(error)s") % {"error": error}) from error
        report = read_plan_file(str(file), content)
        if not report.ok:
            raise CommandError("\n".join(str(problem) for problem in report.problems))
        return report.data

    def read_other(self, file, from_seed):
        try:
            if from_seed:
                data = parse_plan_text(Path(from_seed).read_text(encoding="utf-8"))
            else:
                data = read_plan_json(file or BUNDLED_PLAN_2024)
        except OSError as error:
            raise CommandError(_("Не удалось прочитать файл: %(error)s") % {"error": error}) from error
        except UnicodeDecodeError as error:
            raise CommandError(
                _("Файл должен быть в кодировке UTF-8: %(error)s") % {"error": error}
            ) from error
        except (PlanParseError, PlanDataError) as error:
            raise CommandError(str(error)) from error
        return data
