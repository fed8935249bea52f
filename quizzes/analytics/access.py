"""Which campaigns a manager may see.

A regional manager sees every campaign. A municipal manager sees a campaign when somebody of their
municipality is expected to take it or has taken it; any other campaign is "not found" for them.
"""

from django.http import Http404

from ..models import Sitting, TestCampaign


def is_visible(campaign, scope):
    if scope.everything:
        return True
    if scope.is_empty:
        return False
    return (
        scope.people(campaign.expected_participants()).exists()
        or scope.filter(Sitting.objects.filter(campaign=campaign), "user__municipality").exists()
    )


def visible_campaigns(scope):
    """Campaigns the scope may see, newest first (a list: audiences are rules, checked one by one)."""
    campaigns = TestCampaign.objects.select_related("quiz", "audience").order_by("-opens_at", "-pk")
    if scope.everything:
        return list(campaigns)
    return [campaign for campaign in campaigns if is_visible(campaign, scope)]


def get_campaign_or_404(scope, pk):
    try:
        campaign = TestCampaign.objects.select_related("quiz", "audience").get(pk=pk)
    except (TestCampaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not is_visible(campaign, scope):
        raise Http404
    return campaign
