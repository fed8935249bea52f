"""The outbox and the invitations under the retention rules (``people.privacy``).

Messages (recipient, subject, error; the text goes once a message is sent) and the record of
invitations are kept ``RETENTION_MAIL_YEARS`` after they were made; an anonymized person's messages
and invitations go with their name.
"""

from django.utils.translation import gettext_lazy as _

from ..privacy.anonymize import register_eraser
from ..privacy.retention import RetentionRule, register_rule


def _old(cutoff):
    from ..invitations.models import Invitation
    from .models import OutgoingMail

    return OutgoingMail.objects.filter(created_at__lt=cutoff), Invitation.objects.filter(
        created_at__lt=cutoff
    )


def count(cutoff):
    return sum(queryset.count() for queryset in _old(cutoff))


def apply(cutoff, now):
    mail, invitations = _old(cutoff)
    return invitations.delete()[0] + mail.delete()[0]


def erase(user_ids):
    from ..invitations.models import Invitation
    from .models import OutgoingMail

    Invitation.objects.filter(person_id__in=user_ids).delete()
    OutgoingMail.objects.filter(person_id__in=user_ids).delete()


def register():
    register_rule(
        RetentionRule(
            key="mail",
            label=_("Журнал писем и приглашений (адрес, тема, когда и кем отправлено)"),
            setting="RETENTION_MAIL_YEARS",
            default_years=1,
            counted_from=_("после отправки"),
            outcome=_("Записи удаляются. Текст письма не хранится уже после его отправки."),
            count=count,
            apply=apply,
            order=80,
        )
    )
    register_eraser(erase)
