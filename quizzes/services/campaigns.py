"""Taking a test inside a campaign: the window and the audience are checked on the server."""

from django.utils import timezone

from ..contexts import campaign_context
from ..exceptions import CampaignNotOpen, NotInAudience
from .sittings import start_sitting


def start_campaign_sitting(user, campaign, *, now=None, rng=None):
    """The person's sitting in ``campaign`` (resumed if in progress, else new).

    The deadline is the earlier of the quiz's time limit (plus the person's extra time) and the
    campaign's close. Raises :class:`NotInAudience`, :class:`CampaignNotOpen` and whatever
    :func:`~quizzes.services.sittings.start_sitting` raises.
    """
    now = now or timezone.now()
    if not campaign.admits(user):
        raise NotInAudience
    if not campaign.is_open(now):
        raise CampaignNotOpen
    return start_sitting(
        user,
        campaign.quiz,
        now=now,
        closes_at=campaign.closes_at,
        extra_time=campaign.extra_time_for(user),
        rng=rng,
        campaign=campaign,
        context=campaign_context(campaign.pk),
    )
