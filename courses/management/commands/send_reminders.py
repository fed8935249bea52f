"""Send the reminders about assigned courses: before the due date and once it has passed. Run daily::

    0 9 * * *  cd /srv/antikor && .venv/bin/python manage.py send_reminders --quiet

``--enqueue`` hands the work to the task queue (``courses.tasks.send_course_reminders``) instead of
doing it in this process, for setups where ``manage.py db_worker`` runs the background tasks.
Running it twice a day sends nothing twice.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.management.daily import DailyCommand
from courses.reminders import send_due_reminders
from courses.tasks import send_course_reminders


class Command(DailyCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _("Рассылает напоминания о сроках назначенных курсов (запускайте раз в день по cron).")

    task = send_course_reminders
    done_message = gettext_lazy("Отправлено напоминаний: %(count)s")

    def run(self):
        return send_due_reminders()
