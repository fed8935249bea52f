"""Send the mail that is due (the outbox, people.mail) within the rate limit. For cron when the task
worker (``manage.py db_worker``) does not run, every minute::

    * * * * *  cd /srv/antikor/app && /srv/antikor/venv/bin/python manage.py send_mail_queue --quiet

One run sends at most ``MAIL_RATE_PER_MINUTE`` messages; what is left waits for the next run.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from people.mail.models import OutgoingMail
from people.mail.services import deliver_due


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str: a lazy translation breaks --help
        return _(
            "Отправляет письма из очереди, которым пришла пора (не больше MAIL_RATE_PER_MINUTE за "
            "минуту); запускайте каждую минуту по cron, если не работает db_worker."
        )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help=_("ничего не печатать"))

    def handle(self, *args, quiet=False, **options):
        result = deliver_due()
        if quiet:
            return
        waiting = OutgoingMail.objects.filter(
            status__in=[OutgoingMail.Status.WAITING, OutgoingMail.Status.SENDING]
        ).count()
        self.stdout.write(
            _(
                "Отправлено: %(sent)s; не удалось, попробуем ещё: %(retrying)s; не отправлено "
                "окончательно: %(failed)s; в очереди: %(waiting)s."
            )
            % {"sent": result.sent, "retrying": result.retrying, "failed": result.failed, "waiting": waiting}
        )
