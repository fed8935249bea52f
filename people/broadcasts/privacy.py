"""Mass messages in «Мои данные» (``people.privacy``): what the person was sent and when.

No retention rule of their own yet: the record of a mass message (its author, text and recipients) is
kept like the audit log; an anonymized recipient stays on it under their pseudonym.
"""

from django.utils.translation import gettext as _

from ..privacy.my_data import DataSheet, register_provider
from .models import Broadcast


def received(user):
    sheet = DataSheet(_("Рассылки"), [_("Когда"), _("От кого"), _("Тема"), _("Текст")])
    for broadcast in Broadcast.objects.filter(recipients__user=user).order_by("created_at", "pk"):
        sheet.rows.append([broadcast.created_at, broadcast.author_name, broadcast.subject, broadcast.body])
    return [sheet]


def register():
    register_provider(received, order=90)
