"""Send the reminders about assigned courses: before the due date and once it has passed. Run daily::

    0 9 * * *  cd /srv/antikor && .venv/bin/python manage.py send_reminders --quiet

``--enqueue`` hands the work to the task queue (``courses.tasks.send_course_reminders``) instead of
doing it in this process, for setups where ``manage.py db_worker`` runs the background tasks.
Running it twice a day sends nothing twice.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.reminders import send_due_reminders
from courses.tasks import send_course_reminders


class Command(BaseCommand):
    help = gettext_lazy("Рассылает напоминания о сроках назначенных курсов (запускайте раз в день по cron).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=gettext_lazy("Поставить задачу в очередь фоновых задач."),
        )
        parser.add_argument("--quiet", action="store_true", help=gettext_lazy("Ничего не выводить."))

    def handle(self, *args, enqueue=False, quiet=False, **options):
        if enqueue:
            result = send_course_reminders.enqueue()
            if not quiet:
                self.stdout.write(_("Задача поставлена в очередь: %(id)s") % {"id": result.id})
            return
        count = send_due_reminders()
        if not quiet:
            self.stdout.write(_("Отправлено напоминаний: %(count)s") % {"count": count})
