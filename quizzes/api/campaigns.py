"""My campaigns, and starting (or resuming) a sitting in one."""

from django.utils import timezone
from ninja import Router

from ..cabinet import my_campaign, my_campaigns
from ..services import start_campaign_sitting
from .errors import ERROR_CODES, not_found, quiz_errors
from .payloads import campaign_payload, sitting_payload
from .schemas import CampaignOut, Error, SittingOut

router = Router()


@router.get(
    "/campaigns", response=list[CampaignOut], url_name="tests_my_campaigns", summary="Мои тестирования"
)
def list_campaigns(request):
    """Published campaigns assigned to me, newest first, with my state in each."""
    return [campaign_payload(entry) for entry in my_campaigns(request.user)]


@router.post(
    "/campaigns/{int:campaign_id}/sittings",
    url_name="tests_start_sitting",
    response={200: SittingOut, ERROR_CODES: Error},
    exclude_unset=True,
    summary="Начать или продолжить попытку",
)
@quiz_errors
def start_sitting(request, campaign_id: int):
    """My sitting in progress in this campaign, or a new one. Questions carry no correct answers."""
    now = timezone.now()
    entry = my_campaign(request.user, campaign_id, now)
    if entry is None:
        raise not_found()
    sitting = start_campaign_sitting(request.user, entry.campaign, now=now)
    return sitting_payload(sitting, now)
