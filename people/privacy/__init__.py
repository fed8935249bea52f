"""Personal data under 152-ФЗ: retention periods, anonymizing leavers, the person's own data.

Other apps contribute through three registries, filled in their ``AppConfig.ready`` (``people``
imports no domain app):

* :func:`register_rule` — a :class:`RetentionRule` for what the app keeps (``manage.py apply_retention``
  applies the rules; the privacy notice lists them with their periods);
* :func:`register_eraser` — ``eraser(user_ids)`` removes the app's free texts of people being
  anonymized;
* :func:`register_provider` — ``provider(user)`` returns the app's :class:`DataSheet` objects about
  one person for the «Мои данные» download.
"""

from .anonymize import anonymize_people, pseudonym, register_eraser
from .my_data import DataSheet, register_provider, yes_no
from .retention import RetentionRule, apply_retention, register_rule, rules

__all__ = [
    "DataSheet",
    "RetentionRule",
    "anonymize_people",
    "apply_retention",
    "pseudonym",
    "register_eraser",
    "register_provider",
    "register_rule",
    "rules",
    "yes_no",
]
