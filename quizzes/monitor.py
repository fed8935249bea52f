"""The live campaign monitor: cheap change notices, coalesced recomputation, per-manager views.

How a change reaches a manager's screen:

1. A sitting of a campaign starts or finishes. ``quizzes.signals`` sees the ``post_save`` and, once
   the transaction commits, :func:`notify_campaign_changed` queues a tiny "campaign N changed" notice
   for the campaign's channel-layer group (in-memory in development, Redis in production); the
   process's publisher thread sends it, merged with the same campaign's notices still waiting.
   Nothing is computed at this point, and the request does not wait, however many people start.
2. Each ASGI process with a monitor of that campaign open is in the group once (:mod:`cms.broadcast.hub`)
   and hands the notice to its :class:`~quizzes.consumers.CampaignMonitorConsumer` instances, which
   pass it to the process's :class:`~cms.broadcast.Coalescer`; it marks the campaign dirty.
3. The coalescer recomputes a dirty campaign's counters (one GROUP BY query,
   :func:`quizzes.analytics.live_counters`) **at most once per second per campaign**: the first
   notice after a quiet second is served at once, the rest wait for the next second and are merged.
   The fresh counters go straight to the process's own consumers of that campaign, and each one
   sends the browser only the municipalities its manager may see, rolled up into districts.

With several ASGI workers every worker that has a monitor open for a campaign receives the notice
and computes once per second on its own: the database sees at most (workers with a monitor open) ×
(campaigns being watched) light queries per second, independent of how many people are testing and
of how many managers watch. No state is shared between processes except the channel layer.
"""

from collections import defaultdict

from channels.db import database_sync_to_async
from django.http import Http404
from django.utils.translation import gettext as _

from cms.broadcast import Coalescer, per_loop, publish
from people.models import Municipality
from people.roles import Role, roles_of
from people.scope import Scope

from .analytics import get_campaign_or_404, live_counters
from .analytics.participation import NO_MUNICIPALITY

INTERVAL = 1.0  # seconds between two recomputations of one campaign in one process
MANAGER_ROLES = {Role.MUNICIPAL_MANAGER, Role.REGIONAL_MANAGER}
COUNTERS = ("started", "finished", "passed")


def campaign_group(campaign_id):
    return f"quizzes.campaign.{int(campaign_id)}.monitor"


def notify_campaign_changed(campaign_id):
    """Tell the campaign's monitors that something changed (sync; called after a commit).

    Returns at once: the notice is sent by the process's publisher thread, merged with the other
    notices of the same campaign still waiting (:mod:`cms.broadcast.publisher`)."""
    publish(campaign_group(campaign_id), {"type": "campaign.changed"}, coalesce=True)


class MonitorView:
    """What one manager sees of a campaign's live counters: the districts in their scope."""

    def __init__(self, campaign, scope):
        self.campaign = campaign
        self.campaign_id = campaign.pk
        municipalities = list(scope.municipalities().values_list("pk", "parent_id"))
        in_scope = {pk for pk, _parent in municipalities}
        # A settlement is shown in its district when the district is in scope (always, in practice).
        self.district_of = {pk: parent if parent in in_scope else pk for pk, parent in municipalities}
        if scope.everything:
            self.district_of[None] = None
        shown = set(self.district_of.values())
        names = {m.pk: str(m) for m in Municipality.objects.filter(pk__in=[pk for pk in shown if pk])}
        self.districts = sorted(((pk, names[pk]) for pk in shown if pk), key=lambda item: item[1].lower())
        if None in shown:
            self.districts.append((None, str(NO_MUNICIPALITY)))

    @classmethod
    def for_user(cls, user, campaign_id):
        """The view for a manager whose scope may see the campaign, else None (sync: uses the DB)."""
        if user is None or not user.is_authenticated or not roles_of(user) & MANAGER_ROLES:
            return None
        scope = Scope.for_user(user)
        if scope.is_empty:
            return None
        try:
            campaign = get_campaign_or_404(scope, campaign_id)
        except Http404:
            return None
        return cls(campaign, scope)

    def rows(self, counters):
        """``[{"key", "name", "started", "finished", "passed"}]`` per district, plus the total last."""
        sums = defaultdict(lambda: [0, 0, 0])
        for municipality_id, values in counters.items():
            if municipality_id not in self.district_of:
                continue  # outside this manager's scope
            cell = sums[self.district_of[municipality_id]]
            for i, value in enumerate(values):
                cell[i] += value
        rows = [
            {"key": _key(pk), "name": name, **dict(zip(COUNTERS, sums[pk], strict=True))}
            for pk, name in self.districts
        ]
        total = {name: sum(row[name] for row in rows) for name in COUNTERS}
        rows.append({"key": "total", "name": _("Итого"), **total})
        return rows

    def message(self, counters):
        return {
            "type": "counters",
            "campaign": self.campaign_id,
            "rows": {row["key"]: {name: row[name] for name in COUNTERS} for row in self.rows(counters)},
        }


def _key(pk):
    return "none" if pk is None else str(pk)


compute_counters = database_sync_to_async(live_counters)

# The event loop's own coalescer of counter computations (one per process in production).
coalescer = per_loop(lambda: Coalescer(compute_counters, deliver="counters_changed", interval=INTERVAL))
