"""The person's own view of remote testing: "my campaigns" and the "Мои тесты" cabinet section.

:func:`my_campaigns` is shared by the JSON API, the /tests/ pages and the cabinet section, so all three
say the same about a campaign. :func:`register` is called from ``QuizzesConfig.ready``.
"""

import dataclasses

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .contexts import campaign_context
from .models import AttemptAllowance, Sitting, TestCampaign


class MyState:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    NEEDS_GRADING = "needs_grading"
    FINISHED = "finished"


@dataclasses.dataclass
class CampaignEntry:
    """One campaign as its participant sees it."""

    campaign: TestCampaign
    is_open: bool
    state: str
    sitting: Sitting | None  # the one in progress, else the latest finished one in this campaign
    attempts_left: int | None  # None: unlimited
    extra_minutes: int = 0  # granted to the person in this campaign (ExtraTime)
    has_closed: bool = False

    @property
    def quiz(self):
        return self.campaign.quiz

    @property
    def time_limit(self):
        """The person's minutes: the quiz's limit plus their extra time (as their sitting's deadline
        counts it), None when the quiz has no limit."""
        limit = self.campaign.quiz.time_limit
        return limit + self.extra_minutes if limit else limit

    @property
    def can_start(self):
        """May the person start (or resume) a sitting now?"""
        if not self.is_open:
            return False
        return self.state == MyState.IN_PROGRESS or self.attempts_left is None or self.attempts_left > 0

    @property
    def state_label(self):
        if self.state == MyState.NOT_STARTED and self.has_closed:
            return _("тестирование закрыто, вы его не проходили")
        if self.state == MyState.NOT_STARTED and not self.is_open:
            return _("тестирование ещё не открыто")
        return {
            MyState.NOT_STARTED: _("не начат"),
            MyState.IN_PROGRESS: _("идёт попытка"),
            MyState.NEEDS_GRADING: _("ожидает проверки"),
            MyState.FINISHED: _("завершён"),
        }[self.state]

    def get_absolute_url(self):
        return reverse("quizzes:campaign", args=[self.campaign.pk])


def my_campaigns(user, now=None):
    """Every published campaign of the person's audience with their state in it (newest first).

    A sitting found in progress past its deadline (plus grace) is finished here: the person sees the
    truth, not a stale "in progress".
    """
    from .services import finish_sitting

    now = now or timezone.now()
    campaigns = TestCampaign.objects.with_extra_time_for(user).for_person(user)
    if not campaigns:
        return []
    sittings = {}
    mine = Sitting.objects.filter(user=user, campaign__in=campaigns).not_void()  # a reset attempt is gone
    for sitting in mine.order_by("started_at", "pk"):
        if sitting.is_in_progress and not sitting.accepts_answers_at(now):
            finish_sitting(sitting, now=now)
        current = sittings.get(sitting.campaign_id)
        if current is None or not current.is_in_progress:
            sittings[sitting.campaign_id] = sitting  # in progress wins, else the latest
    # Attempts are counted per campaign (its context), not per quiz: last year's campaign on the same
    # quiz uses up nothing here.
    taken = dict(mine.values("campaign").annotate(count=Count("pk")).values_list("campaign", "count"))
    granted = _granted_attempts(user, [c for c in campaigns if taken.get(c.pk, 0) >= c.quiz.attempts_allowed])
    entries = []
    for campaign in campaigns:
        sitting = sittings.get(campaign.pk)
        allowed = campaign.quiz.attempts_allowed
        if allowed:
            allowed += granted.get(campaign.pk, 0)
        entries.append(
            CampaignEntry(
                campaign=campaign,
                is_open=campaign.is_open(now),
                has_closed=campaign.has_closed(now),
                state=sitting.state if sitting else MyState.NOT_STARTED,
                sitting=sitting,
                attempts_left=max(0, allowed - taken.get(campaign.pk, 0)) if allowed else None,
                extra_minutes=campaign.extra_minutes or 0,
            )
        )
    return entries


def _granted_attempts(user, campaigns):
    """``{campaign id: attempts granted to the person}`` for the campaigns whose attempts are used up
    (no query when there are none: the usual case)."""
    campaigns = [campaign for campaign in campaigns if campaign.quiz.attempts_allowed]
    if not campaigns:
        return {}
    by_context = {campaign_context(campaign.pk): campaign for campaign in campaigns}
    rows = AttemptAllowance.objects.filter(user=user, context__in=by_context).values_list(
        "context", "quiz_id", "extra_attempts"
    )
    return {
        by_context[context].pk: extra
        for context, quiz_id, extra in rows
        if by_context[context].quiz_id == quiz_id
    }


def my_campaign(user, campaign_id, now=None):
    """The entry of one of the person's campaigns, or None when it is not theirs."""
    for entry in my_campaigns(user, now):
        if entry.campaign.pk == campaign_id:
            return entry
    return None


def my_tests_section(request):
    """Open campaigns of the person, with a link to each; nothing when there are none."""
    if not request.user.is_authenticated:
        return None
    entries = [entry for entry in my_campaigns(request.user) if entry.is_open]
    if not entries:
        return None
    return {
        "title": _("Мои тесты"),
        "template": "quizzes/taking/cabinet_section.html",
        "entries": entries,
        "all_url": reverse("quizzes:my_campaigns"),
    }


def register():
    from people.cabinet import register_section
    from people.notices import register_source

    from .notices import my_notices

    register_source(my_notices)
    register_section(my_tests_section)
