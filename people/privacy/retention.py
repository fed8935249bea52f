"""Retention periods of personal data and the rules that apply them (``manage.py apply_retention``).

``people`` imports no domain app: each app registers a :class:`RetentionRule` for what it keeps
(quizzes: answers, events: live questions, reports: the export audit log) with :func:`register_rule`
in its ``AppConfig.ready``; ``people`` registers its own (leavers, the login log). A rule names the
setting that holds its period in whole years, how many records are due (``count``) and what to do
with them (``apply``); :func:`apply_retention` runs every rule in a transaction of its own, so a
failure leaves the other kinds done and the failed kind untouched. Rules are idempotent: a record
processed once is never due again.

The same rules, with their configured periods, are listed on the privacy notice (``/privacy/``).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DELETED = gettext_lazy("удалено")
WILL_BE_DELETED = gettext_lazy("будет удалено")


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: Any  # what is kept, e.g. «Журнал выгрузок персональных данных»
    setting: str  # the setting with the period in whole years
    default_years: int
    counted_from: Any  # «после выгрузки»: the period runs from this moment
    outcome: Any  # what happens after the period, a sentence for the privacy notice
    count: Callable[[datetime.datetime], int]  # records due at this cutoff
    apply: Callable[[datetime.datetime, datetime.datetime], int]  # (cutoff, now) -> records processed
    done: Any = DELETED  # what the command says was done, before the count
    would: Any = WILL_BE_DELETED  # the same in a dry run
    order: int = 100

    def years(self):
        value = getattr(settings, self.setting, self.default_years)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ImproperlyConfigured(
                _("Срок хранения %(setting)s должен быть целым числом лет, не меньше одного.")
                % {"setting": self.setting}
            )
        return value

    def cutoff(self, now):
        """Records older than this are past the period."""
        return years_before(now, self.years())

    def period_text(self):
        """«3 года после выгрузки»."""
        return f"{years_text(self.years())} {self.counted_from}"


_RULES: dict[str, RetentionRule] = {}


def register_rule(rule):
    """Add (or replace, by key) a retention rule."""
    _RULES[rule.key] = rule
    return rule


def rules():
    return sorted(_RULES.values(), key=lambda rule: (rule.order, rule.key))


@dataclass(frozen=True)
class Outcome:
    rule: RetentionRule
    cutoff: datetime.datetime
    count: int


def apply_retention(now=None, dry_run=False):
    """Apply every rule (with ``dry_run``, only count what is due); an :class:`Outcome` per rule.

    Every period is read first, so a misconfigured one stops the run before anything changes.
    """
    now = now or timezone.now()
    due = [(rule, rule.cutoff(now)) for rule in rules()]
    outcomes = []
    for rule, cutoff in due:
        if dry_run:
            count = rule.count(cutoff)
        else:
            with transaction.atomic():
                count = rule.apply(cutoff, now)
        outcomes.append(Outcome(rule, cutoff, count))
    return outcomes


def years_before(moment, years):
    """The same moment ``years`` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def years_text(n):
    """«1 год», «3 года», «5 лет»: each form is a translatable string of its own."""
    n = int(n)
    if n % 10 == 1 and n % 100 != 11:
        word = _("год")
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = _("года")
    else:
        word = _("лет")
    return f"{n} {word}"
