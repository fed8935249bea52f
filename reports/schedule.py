"""The periodic jobs of the platform, in one table: what cron runs in production (docs/deploy.md),
and what ``manage.py run_schedule`` runs in one process where there is no cron — the dev server of
``make run``, or a host that prefers one supervised process to crontab lines.

Every job is safe to run again and at the same time as another copy: each claims its work (a
notice, a reminder, a letter) once.
"""

from dataclasses import dataclass

MINUTE = 60
DAY = 24 * 60 * MINUTE


@dataclass(frozen=True)
class Job:
    command: str
    every: int  # seconds


# In this order within one pass: recertify re-enrols before the reminders are looked for.
JOBS = (
    Job("finish_overdue", MINUTE),
    Job("send_mail_queue", MINUTE),
    Job("send_campaign_notices", 15 * MINUTE),
    Job("apply_assignments", DAY),
    Job("recertify", DAY),
    Job("send_reminders", DAY),
    Job("purge_exports", DAY),
    Job("apply_retention", DAY),
)


def due(jobs, last_run, now):
    """The jobs whose time has come at ``now`` (seconds); a job never run is due at once."""
    return [job for job in jobs if job.command not in last_run or now - last_run[job.command] >= job.every]
