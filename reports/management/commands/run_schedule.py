"""Run the platform's periodic jobs (:mod:`reports.schedule`) in this process, each on its cadence.

    manage.py run_schedule           # until stopped (make run starts it beside the dev server)
    manage.py run_schedule --once    # every job once, then exit

A job that fails is logged and tried again at its next time; the others go on.
"""

import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.schedule import JOBS, due

logger = logging.getLogger(__name__)
TICK = 5  # seconds between looks at the table


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _("Выполняет периодические задачи платформы по расписанию (вместо cron).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help=gettext_lazy("Выполнить каждую задачу один раз.")
        )

    def handle(self, *args, once=False, **options):
        last_run = {}
        while True:
            now = time.monotonic()
            for job in due(JOBS, last_run, now):
                last_run[job.command] = now
                self.run(job)
            if once:
                return
            time.sleep(TICK)

    def run(self, job):
        try:
            call_command(job.command, quiet=True)
        except Exception:  # one job's failure must not stop the others
            logger.exception("Periodic job %s failed", job.command)
