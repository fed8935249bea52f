"""Background tasks of remote testing (Django's Tasks API, the django-tasks backport).

Dev and tests run tasks at once (immediate backend); production queues them in the database for
``manage.py db_worker``. Cron can also run ``manage.py finish_overdue`` every minute.
"""

from django_tasks import task

from .services import finish_overdue
from .services.prepared import drop_closed_papers


@task()
def finish_overdue_sittings():
    """Finish and score every sitting left in progress past its deadline (returns how many), and drop
    the papers prepared for campaigns that have closed."""
    finished = finish_overdue()
    drop_closed_papers()
    return finished
