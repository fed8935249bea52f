"""Notices of test campaigns to their audience (issue 14): the opening, a reminder, the result.

A run (``manage.py send_campaign_notices``, by cron every 15 minutes) first claims its notices by
inserting :class:`~quizzes.models.CampaignNotice` rows — one per campaign, person and kind, guarded by
a unique constraint, so of two parallel runs only one gets a row — and hands the letters to the outbox
(:mod:`people.mail`) only after that transaction has committed. A person without an e-mail address
gets the row too (marked as such): it is shown in «Мой кабинет».

* Opening: to every active member of the audience of an open campaign that asks for it.
* Reminder: ``remind_days_before`` days before the close, while the campaign is still open, to the
  members who have not finished (no sitting of the campaign's context finished or waiting for grading).
* Result: to each person whose counted sitting in the campaign is finished and graded, while no other
  sitting of theirs there is in progress or waiting for grading: the percent and passed or failed, and a
  link to the result page. Never an answer.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.links import public_url
from people.mail import Message, enqueue_pending, letter_text, register_kind
from people.mail.kinds import BULK
from people.notices import Notice

from .contexts import campaign_context
from .models import CampaignNotice, Sitting, TestCampaign

logger = logging.getLogger(__name__)

Kind = CampaignNotice.Kind
Status = CampaignNotice.Status
WRITE_BATCH = 1000
# Kinds of mail in the outbox (people.mail), registered in QuizzesConfig.ready.
MAIL_KINDS = {
    Kind.OPENING: ("campaign_opening", gettext_lazy("Тестирование: открытие")),
    Kind.REMINDER: ("campaign_reminder", gettext_lazy("Тестирование: напоминание не завершившим")),
    Kind.RESULT: ("campaign_result", gettext_lazy("Тестирование: результат")),
}
SUBMITTED = (Sitting.State.FINISHED, Sitting.State.NEEDS_GRADING)
PENDING_SITTING = (Sitting.State.IN_PROGRESS, Sitting.State.NEEDS_GRADING)


def register_mail_kinds():
    for order, (code, label) in enumerate(MAIL_KINDS.values()):
        register_kind(code, label, priority=BULK, order=500 + order)


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "j E Y, H:i")


def _already(campaign, kind):
    return CampaignNotice.objects.filter(campaign=campaign, kind=kind).values("user_id")


def opening_text(campaign):
    return _("Открыто тестирование «%(title)s». Пройти его нужно до %(closes)s.") % {
        "title": campaign.title,
        "closes": _when(campaign.closes_at),
    }


def reminder_text(campaign):
    return _("Тестирование «%(title)s» закрывается %(closes)s, а вы его ещё не прошли.") % {
        "title": campaign.title,
        "closes": _when(campaign.closes_at),
    }


def result_text(campaign, sitting):
    verdict = _("тест пройден") if sitting.passed else _("тест не пройден")
    return _("Результат тестирования «%(title)s»: %(percent)s%%, %(verdict)s.") % {
        "title": campaign.title,
        "percent": floatformat(sitting.percent, "-2"),
        "verdict": verdict,
    }


def _rows_for_people(campaign, kind, people, text, batch, now):
    return [
        CampaignNotice(
            campaign=campaign,
            user_id=pk,
            kind=kind,
            text=text,
            batch=batch,
            created_at=now,
            status=Status.PENDING if email else Status.NO_EMAIL,
        )
        for pk, email in people.values_list("pk", "email")
    ]


def opening_rows(now, batch):
    rows = []
    for campaign in TestCampaign.objects.open_now(now).filter(notify_opening=True).select_related("audience"):
        people = campaign.expected_participants().exclude(pk__in=_already(campaign, Kind.OPENING))
        rows += _rows_for_people(campaign, Kind.OPENING, people, opening_text(campaign), batch, now)
    return rows


def reminder_rows(now, batch):
    rows = []
    campaigns = TestCampaign.objects.open_now(now).filter(remind_days_before__isnull=False)
    for campaign in campaigns.select_related("audience"):
        if now < campaign.closes_at - datetime.timedelta(days=campaign.remind_days_before):
            continue
        submitted = Sitting.objects.filter(context=campaign_context(campaign.pk), state__in=SUBMITTED)
        people = (
            campaign.expected_participants()
            .exclude(pk__in=submitted.values("user_id"))
            .exclude(pk__in=_already(campaign, Kind.REMINDER))
        )
        rows += _rows_for_people(campaign, Kind.REMINDER, people, reminder_text(campaign), batch, now)
    return rows


def result_rows(now, batch):
    rows = []
    for campaign in TestCampaign.objects.published().filter(notify_result=True, opens_at__lte=now):
        in_campaign = Sitting.objects.filter(context=campaign_context(campaign.pk))
        sittings = (
            in_campaign.counted()
            .filter(user__is_active=True)
            .exclude(user_id__in=in_campaign.filter(state__in=PENDING_SITTING).values("user_id"))
            .exclude(user_id__in=_already(campaign, Kind.RESULT))
            .select_related("user")
        )
        for sitting in sittings:
            rows.append(
                CampaignNotice(
                    campaign=campaign,
                    user_id=sitting.user_id,
                    kind=Kind.RESULT,
                    sitting=sitting,
                    text=result_text(campaign, sitting),
                    batch=batch,
                    created_at=now,
                    status=Status.PENDING if sitting.user.email else Status.NO_EMAIL,
                )
            )
    return rows


def claim_notices(now):
    """Insert the notice rows this run is responsible for; returns the run's batch id."""
    batch = uuid.uuid4()
    with translation.override(settings.LANGUAGE_CODE):
        rows = opening_rows(now, batch) + reminder_rows(now, batch) + result_rows(now, batch)
    # A row another run inserted first wins; this run's row for it is dropped, not an error.
    CampaignNotice.objects.bulk_create(rows, batch_size=WRITE_BATCH, ignore_conflicts=True)
    return batch


def send_campaign_notices(now=None):
    """Claim and send the notices that are due; returns how many notices were given (with or
    without a letter).

    Call outside a transaction (a command); inside one, the letters go when it commits.
    """
    now = now or timezone.now()
    with transaction.atomic():
        batch = claim_notices(now)
        count = CampaignNotice.objects.filter(batch=batch).count()
    if CampaignNotice.objects.filter(batch=batch, status=Status.PENDING).exists():
        transaction.on_commit(lambda: deliver(batch), robust=True)
    return count


def deliver(batch):
    """Hand the pending notices of a run to the outbox and record it on each."""
    notices = CampaignNotice.objects.filter(batch=batch, status=Status.PENDING).select_related(
        "user", "campaign"
    )
    return enqueue_pending(notices, message, "Campaign notice")


def notice_path(notice):
    """Where the notice leads on the site: the result page, else the campaign's page."""
    if notice.kind == Kind.RESULT and notice.sitting_id:
        return reverse("quizzes:result", args=[notice.sitting_id])
    return reverse("quizzes:campaign", args=[notice.campaign_id])


def notice_url(notice):
    """The public address of :func:`notice_path` (for letters)."""
    return public_url(notice_path(notice))


def message(notice):
    """The notice's letter as an outbox :class:`~people.mail.Message`."""
    person = notice.user
    title = notice.campaign.title
    subject = {
        Kind.OPENING: _("Открыто тестирование «%(title)s»"),
        Kind.REMINDER: _("Напоминание: тестирование «%(title)s» скоро закроется"),
        Kind.RESULT: _("Результат тестирования «%(title)s»"),
    }[notice.kind] % {"title": title}
    link = {
        Kind.OPENING: _("Пройти тестирование:"),
        Kind.REMINDER: _("Пройти тестирование:"),
        Kind.RESULT: _("Страница результата (после входа на сайт):"),
    }[notice.kind]
    body = letter_text(person, notice.text, f"{link}\n{notice_url(notice)}")
    return Message(
        to=person.email, subject=subject, body=body, kind=MAIL_KINDS[notice.kind][0], person=person
    )


def my_notices(user, limit=20):
    """The person's campaign notices for «Мой кабинет» (a source of :mod:`people.notices`), newest first."""
    rows = CampaignNotice.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]
    return [
        Notice(
            created_at=row.created_at,
            text=row.text,
            url=notice_path(row),
            link_text=_("Результат") if row.kind == Kind.RESULT else _("Перейти к тестированию"),
        )
        for row in rows
    ]
