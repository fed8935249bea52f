"""Enrol again the holders of certificates about to expire (annual recertification). Run daily::

    30 8 * * *  cd /srv/antikor && .venv/bin/python manage.py recertify --quiet

A certificate is renewed once: running it twice enrols nobody twice. ``--enqueue`` hands the work
to the task queue (``courses.tasks.recertify_expiring``).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.management.daily import DailyCommand
from courses.recertification import recertify
from courses.tasks import recertify_expiring


class Command(DailyCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _(
            "Записывает на курс повторно тех, у кого истекает срок действия сертификата "
            "(запускайте раз в день по cron)."
        )

    task = recertify_expiring
    done_message = gettext_lazy("Записано на переаттестацию: %(count)s")

    def run(self):
        return recertify()
