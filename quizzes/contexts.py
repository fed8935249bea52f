"""Where a sitting is taken: its *context*.

One quiz serves many places: this year's campaign and last year's, a course's final test, a lesson's
«Проверь себя» block, an event's follow-up. A sitting belongs to exactly one of them, named by a key
``"<kind>:<id>"`` (``"campaign:12"``, ``"course:40"``, ``"lesson:41"``, ``"event:7"``). Attempts,
numbering, resuming and the result that counts are all per person, quiz and context: a second
campaign on last year's quiz starts with every attempt free and never resumes last year's sitting.

The empty key is a sitting outside any context (made directly in tests, or older than contexts and
not attributable to one; see the migrations).
"""

from django.utils.translation import gettext_lazy as _

CAMPAIGN = "campaign"
COURSE = "course"
LESSON = "lesson"
EVENT = "event"
KINDS = (CAMPAIGN, COURSE, LESSON, EVENT)
NONE = ""


def context_key(kind, pk):
    """The context key of a place, e.g. ``context_key(CAMPAIGN, 12) == "campaign:12"``."""
    if kind not in KINDS:
        raise ValueError(f"unknown sitting context kind: {kind!r}")
    if isinstance(pk, bool) or not isinstance(pk, int) or pk < 1:
        raise ValueError(f"a context id is a positive integer, not {pk!r}")
    return f"{kind}:{pk}"


def campaign_context(campaign_id):
    return context_key(CAMPAIGN, campaign_id)


_LABELS = {
    CAMPAIGN: _("дистанционное тестирование № %(id)s"),
    COURSE: _("итоговый тест курса № %(id)s"),
    LESSON: _("«Проверь себя» в уроке № %(id)s"),
    EVENT: _("тест по итогам мероприятия № %(id)s"),
}


def context_label(key):
    """The context in Russian words, for the admin: «итоговый тест курса № 40»."""
    if not key:
        return str(_("вне тестирования, курса и мероприятия"))
    kind, _sep, pk = key.partition(":")
    label = _LABELS.get(kind)
    return str(label % {"id": pk}) if label else key
