"""Background tasks of people (Django's Tasks API, the django-tasks backport).

Dev and tests run tasks at once (immediate backend); production queues them in the database for
``manage.py db_worker``. Cron can also run ``manage.py send_mail_queue`` every minute.
"""

from django_tasks import task

from .mail.services import deliver_due, request_delivery


@task()
def send_mail_queue():
    """Send the mail that is due, within the rate limit; when more waits, run again when it may be
    sent (a backend that cannot defer — development — leaves it to the next request or to cron).
    Returns how many messages went out."""
    result = deliver_due()
    if result.next_run is not None:
        request_delivery(after=result.next_run)
    return result.sent
