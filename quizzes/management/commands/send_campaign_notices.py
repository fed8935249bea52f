"""Send the notices of test campaigns to their audience: the opening, the reminder, the result.
Run every 15 minutes::

    */15 * * * *  cd /srv/antikor && .venv/bin/python manage.py send_campaign_notices --quiet

Nothing is sent twice, also when two runs overlap (see :mod:`quizzes.notices`).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from quizzes.notices import send_campaign_notices


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _("Рассылает уведомления о дистанционных тестированиях (запускайте каждые 15 минут по cron).")

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help=_("Ничего не выводить."))

    def handle(self, *args, quiet=False, **options):
        count = send_campaign_notices()
        if not quiet:
            self.stdout.write(_("Уведомлений: %(count)s") % {"count": count})
