"""manage.py load_region: put Kaluga oblast (municipalities, regional and local bodies) into the directory."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from people.region import load_region


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _(
            "Загружает справочник Калужской области: 24 муниципальных района и 2 городских округа, "
            "уполномоченный орган, исполнительные органы области и местные администрации. "
            "Повторный запуск ничего не меняет; записи не удаляются."
        )

    def handle(self, *args, **options):
        result = load_region()
        for line in result.summary_lines():
            self.stdout.write(line)
