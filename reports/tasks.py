"""Background tasks of the reports (Django's Tasks API, the django-tasks backport).

Dev and tests run tasks at once (immediate backend); production queues them in the database for
``manage.py db_worker``.
"""

from django_tasks import task

from .exports.services import run_job


@task()
def run_export(job_id):
    """Write an export job's file (see :func:`reports.exports.services.run_job`); returns its status."""
    return run_job(job_id).status
