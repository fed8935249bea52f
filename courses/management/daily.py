"""A cron command that does its work here, or with ``--enqueue`` hands it to the task queue."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DailyCommand(BaseCommand):
    """Subclasses set ``task`` (a django-tasks task), ``run`` (the same work, in this process) and
    ``done_message`` (with ``%(count)s``)."""

    task = None
    done_message = ""

    def run(self):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=gettext_lazy("Поставить задачу в очередь фоновых задач."),
        )
        parser.add_argument("--quiet", action="store_true", help=gettext_lazy("Ничего не выводить."))

    def handle(self, *args, enqueue=False, quiet=False, **options):
        if enqueue:
            result = self.task.enqueue()
            if not quiet:
                self.stdout.write(_("Задача поставлена в очередь: %(id)s") % {"id": result.id})
            return
        count = self.run()
        if not quiet:
            self.stdout.write(str(self.done_message) % {"count": count})
