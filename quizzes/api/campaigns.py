"""My campaigns, and starting (or resuming) a sitting in one."""

from django.utils import timezone
from ninja import Router

from ..cabinet import my_campaigns
from ..exceptions import NotInAudience
from ..models import TestCampaign
from ..services import start_campaign_sitting
from ..services.prepared import start_prepared
from .errors import ERROR_CODES, not_found, quiz_errors
from .payloads import campaign_payload, prepared_response, sitting_payload, trusted_response
from .schemas import CampaignOut, Error, PositiveId, SittingOut

router = Router()


@router.get(
    "/campaigns", response=list[CampaignOut], url_name="tests_my_campaigns", summary="Мои тестирования"
)
def list_campaigns(request):
    """Published campaigns assigned to me, newest first, with my state in each."""
    return [campaign_payload(entry) for entry in my_campaigns(request.user)]


@router.post(
    "/campaigns/{campaign_id}/sittings",
    url_name="tests_start_sitting",
    response={200: SittingOut, ERROR_CODES: Error},
    exclude_unset=True,
    summary="Начать или продолжить попытку",
)
@quiz_errors
def start_sitting(request, campaign_id: PositiveId):
    """My sitting in progress in this campaign, or a new one. Questions carry no correct answers."""
    now = timezone.now()
    # The synchronized start: a paper prepared while the person waited on the intro page becomes the
    # sitting inside the database, and its stored questions go out as they are.
    started = start_prepared(request.user, campaign_id, now=now)
    if started is not None:
        return prepared_response(request, started, now)
    # The ordinary start: one query reads the campaign, its quiz and audience, and the person's
    # membership and extra time (not the person's whole campaign list).
    campaign = TestCampaign.objects.for_start_by(request.user).filter(pk=campaign_id).first()
    if campaign is None:
        raise not_found()
    try:
        sitting = start_campaign_sitting(request.user, campaign, now=now)
    except NotInAudience:
        raise not_found() from None  # the same answer as for a campaign that does not exist
    # A sitting started by this very request has no answers yet: no need to read them. The payload is
    # built from server data in the shape of SittingOut: rendered without validating it again.
    return trusted_response(
        request, sitting_payload(sitting, now, answers=[] if sitting.started_at == now else None)
    )
