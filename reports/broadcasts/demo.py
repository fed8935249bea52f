"""A demo mass message, so that «Рассылки» and the cabinet's «Уведомления» show one on ``make run``: the
regional manager reminds those who have not started the open campaign. Run after the other demo
builders (it needs the demo people and campaign); does nothing once a message exists."""

from django.urls import reverse
from django.utils.translation import gettext as _

from people.broadcasts.models import Broadcast
from people.broadcasts.services import send_broadcast
from people.models import User
from people.scope import Scope
from quizzes.models import TestCampaign

from .selection import Basis, CampaignState, Selection


def build_demo_broadcast(stdout, options):
    author = User.objects.filter(username="region").first()
    # the region's own open campaign (not one a municipality runs for its people)
    campaign = (
        TestCampaign.objects.open_now()
        .filter(audience__owner_municipality__isnull=True)
        .order_by("opens_at", "pk")
        .first()
    )
    if Broadcast.objects.exists() or author is None or campaign is None:
        return
    scope = Scope.for_user(author)
    selection = Selection(
        scope, basis=Basis.CAMPAIGN, campaign=campaign, campaign_state=CampaignState.NOT_STARTED
    )
    people = selection.people()
    if not people.exists():
        return
    broadcast = send_broadcast(
        author=author,
        people=people,
        subject=_("Напоминание: пройдите тестирование «%(title)s»") % {"title": campaign.title},
        body=_(
            "Тестирование открыто, а вы к нему ещё не приступали. Пройти его нужно до закрытия; "
            "на это потребуется около получаса."
        ),
        criteria=selection.criteria(),
        scope=scope.description(),
        link_url=reverse("quizzes:campaign", args=[campaign.pk]),
        link_text=_("Перейти к тестированию"),
    )
    stdout.write(_("Рассылка: получателей — %(count)s.") % {"count": broadcast.recipient_count})
