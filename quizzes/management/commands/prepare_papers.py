"""Prepare every participant's paper of a campaign before a synchronized start.

The intro page prepares a person's paper when they open it; this does it for the whole audience ahead,
e.g. the evening before a start at 10:00 (run it again after editing the quiz: stale papers are made
anew)::

    .venv/bin/python manage.py prepare_papers 12
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quizzes.models import TestCampaign
from quizzes.services.prepared import prepare_audience


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _("Готовит варианты всех участников тестирования заранее, до одновременного начала.")

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help=_("Номер тестирования."))

    def handle(self, *args, campaign, **options):
        found = TestCampaign.objects.filter(pk=campaign).select_related("quiz", "audience").first()
        if found is None:
            raise CommandError(_("Тестирование №%(id)s не найдено.") % {"id": campaign})
        prepared, skipped = prepare_audience(found)
        self.stdout.write(
            _(
                "Подготовлено вариантов: %(prepared)s; "
                "без варианта (уже начали, нет попыток и т. п.): %(skipped)s"
            )
            % {"prepared": prepared, "skipped": skipped}
        )
