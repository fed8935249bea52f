"""Campaign figures for managers: participation, item analysis, weak topics, live counters.

All aggregation happens in the database and every query goes through a :class:`people.scope.Scope`.
"""

from .access import get_campaign_or_404, is_visible, visible_campaigns
from .items import ItemRow, item_analysis
from .participation import (
    SORT_FIELDS,
    ParticipantState,
    ResultRow,
    by_municipality,
    by_organization,
    live_counters,
    participants,
    sort_rows,
    state_of,
    total_row,
)
from .sittings import campaign_sittings, counted_sittings
from .topics import TopicRow, TopicTable, topic_table, weakest_topics

__all__ = [
    "SORT_FIELDS",
    "ItemRow",
    "ParticipantState",
    "ResultRow",
    "TopicRow",
    "TopicTable",
    "by_municipality",
    "by_organization",
    "campaign_sittings",
    "counted_sittings",
    "get_campaign_or_404",
    "is_visible",
    "item_analysis",
    "live_counters",
    "participants",
    "sort_rows",
    "state_of",
    "topic_table",
    "total_row",
    "visible_campaigns",
    "weakest_topics",
]
