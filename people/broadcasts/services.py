"""Sending a mass message: record it with its recipients and queue the letters, in one transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..links import public_url
from ..mail import Message, enqueue_many, letter_text, register_kind
from ..mail.kinds import BULK
from ..mail.services import is_address
from ..notices import Notice
from .models import Broadcast, BroadcastRecipient

MAIL_KIND = "broadcast"
WRITE_BATCH = 1000


def register_mail_kind():
    register_kind(MAIL_KIND, gettext_lazy("Рассылка руководителя"), priority=BULK, order=600)


def letter_body(broadcast, person):
    parts = [broadcast.body.strip()]
    if broadcast.link_url:
        parts.append(f"{broadcast.link_text or _('Подробнее')}:\n{public_url(broadcast.link_url)}")
    parts.append(_("Сообщение также есть в вашем личном кабинете:") + "\n" + public_url("/cabinet/"))
    return letter_text(person, *parts)


@transaction.atomic
def send_broadcast(*, author, people, subject, body, criteria, scope, link_url="", link_text="", now=None):
    """Record a mass message to ``people`` (a queryset, already narrowed to the author's scope) and
    queue a letter to each of them with a valid address; returns the :class:`Broadcast`.

    Everything is written in one transaction: the record, every recipient and every letter, or none.
    """
    recipients = list(
        people.select_related(None)
        .order_by("pk")
        .only("pk", "email", "first_name", "last_name", "patronymic", "username")
    )
    mailed = [person for person in recipients if person.email and is_address(person.email)]
    broadcast = Broadcast.objects.create(
        created_at=now or timezone.now(),
        author=author,
        author_name=author.get_full_name() or author.username,
        scope=scope,
        criteria=[[str(label), str(value)] for label, value in criteria],
        subject=subject,
        body=body,
        link_url=link_url,
        link_text=link_text,
        recipient_count=len(recipients),
        mailed_count=len(mailed),
    )
    letters = enqueue_many(
        Message(
            to=person.email,
            subject=subject,
            body=letter_body(broadcast, person),
            kind=MAIL_KIND,
            person=person,
        )
        for person in mailed
    )
    mail_by_person = {person.pk: letter for person, letter in zip(mailed, letters, strict=True)}
    BroadcastRecipient.objects.bulk_create(
        (
            BroadcastRecipient(broadcast=broadcast, user_id=person.pk, mail=mail_by_person.get(person.pk))
            for person in recipients
        ),
        batch_size=WRITE_BATCH,
    )
    return broadcast


def my_notices(user, limit):
    """The mass messages the person received, for «Мой кабинет» (a source of :mod:`people.notices`)."""
    received = Broadcast.objects.filter(recipients__user=user).order_by("-created_at", "-pk")[:limit]
    return [
        Notice(
            created_at=broadcast.created_at,
            title=broadcast.subject,
            text=broadcast.body,
            url=broadcast.link_url,
            link_text=broadcast.link_text,
        )
        for broadcast in received
    ]
