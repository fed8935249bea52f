"""Finish and score the sittings whose time ran out while nobody pressed "Завершить".

Papers prepared for campaigns that have closed are dropped too (:mod:`quizzes.services.prepared`).

A person who closes the browser mid-test leaves a sitting in progress; it is finished on its next
request anyway, but results and the live monitor should not wait for that. Run every minute::

    * * * * *  cd /srv/antikor && .venv/bin/python manage.py finish_overdue --quiet

``--enqueue`` hands the work to the task queue (``quizzes.tasks.finish_overdue_sittings``) instead of
doing it in this process, for setups where ``manage.py db_worker`` runs the background tasks.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quizzes.services import finish_overdue
from quizzes.services.prepared import drop_closed_papers
from quizzes.tasks import finish_overdue_sittings


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _("Завершает попытки, время которых истекло (запускайте раз в минуту по cron).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=gettext_lazy("Поставить задачу в очередь фоновых задач."),
        )
        parser.add_argument("--quiet", action="store_true", help=gettext_lazy("Ничего не выводить."))

    def handle(self, *args, enqueue=False, quiet=False, **options):
        if enqueue:
            result = finish_overdue_sittings.enqueue()
            if not quiet:
                self.stdout.write(_("Задача поставлена в очередь: %(id)s") % {"id": result.id})
            return
        finished = finish_overdue()
        drop_closed_papers()  # papers prepared for campaigns that have closed: nobody will start them
        if not quiet:
            self.stdout.write(_("Завершено попыток: %(count)s") % {"count": finished})
