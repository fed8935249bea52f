"""Background tasks of the courses app (Django's Tasks API, the django-tasks backport).

Dev and tests run tasks at once (immediate backend); production queues them in the database for
``manage.py db_worker``. Cron runs once a day, in this order (see docs): ``manage.py
apply_assignments`` (people who newly match an assignment), ``manage.py recertify`` (certificates
about to expire), ``manage.py send_reminders`` (which then reminds of both).
"""

from django_tasks import task

from .assignments import reapply_assignments
from .recertification import recertify
from .reminders import send_due_reminders


@task()
def send_course_reminders():
    """Send the due-date and overdue reminders not sent yet; returns how many emails went out."""
    return send_due_reminders()


@task()
def reapply_course_assignments():
    """Enrol the people whom active assignments cover now and did not before; returns how many."""
    return reapply_assignments()


@task()
def recertify_expiring():
    """Enrol again the holders of certificates about to expire; returns how many were enrolled."""
    return recertify()
