"""Apply every active course assignment again, for people who newly match as time passes. Run nightly::

    0 8 * * *  cd /srv/antikor && .venv/bin/python manage.py apply_assignments --quiet

Imports and changes of people are applied at once (``people.events.people_changed``); this catches
what only the calendar changes, e.g. a hire date that has come. Idempotent. ``--enqueue`` hands the
work to the task queue (``courses.tasks.reapply_course_assignments``).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.assignments import reapply_assignments
from courses.management.daily import DailyCommand
from courses.tasks import reapply_course_assignments


class Command(DailyCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _("Применяет заново действующие назначения курсов (запускайте раз в сутки по cron).")

    task = reapply_course_assignments
    done_message = gettext_lazy("Записано новых слушателей по назначениям: %(count)s")

    def run(self):
        return reapply_assignments()
