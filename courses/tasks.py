"""Background tasks of the courses app (Django's Tasks API, the django-tasks backport).

Dev and tests run tasks at once (immediate backend); production queues them in the database for
``manage.py db_worker``. Cron runs ``manage.py send_reminders`` once a day.
"""

from django_tasks import task

from .reminders import send_due_reminders


@task()
def send_course_reminders():
    """Send the due-date and overdue reminders not sent yet; returns how many emails went out."""
    return send_due_reminders()
