"""Sending a letter to municipalities, acknowledging it and reminding those who have not.

**Recipients** are the municipal anti-corruption coordinators: active people with the flag
«обязанности по противодействию коррупции» (``User.has_anticorruption_duties``, the same flag the
roster import, audiences and plan item 5.7 use) whose municipality is one of the chosen ones or a
settlement inside one (or any municipality, for «всем муниципальным образованиям»). People of regional
bodies (no municipality) are not recipients. They are resolved when the letter is sent and stored:
somebody who gets the flag later does not receive an old letter.

**Sending** (:func:`send_letter`, regional managers only) writes the letter, every recipient row
(append-only) and every e-mail (through the outbox, :mod:`people.mail`) in one transaction, or nothing.
The letter also appears in «Уведомления» of «Мой кабинет» (:mod:`.cabinet`).

**«Ознакомлен»** (:func:`acknowledge`): only the recipient, once; pressing again changes nothing and
keeps the first time.

**Reminders** (:func:`remind`): a manager reminds the recipients of their scope who have not
acknowledged. A recipient reminded less than ``LETTERS_REMINDER_INTERVAL_HOURS`` (default 24) hours ago
is skipped; when nobody is left, the reminder is refused with a Russian message that says when it may
be repeated. Each reminder is recorded (append-only) with whom it reached.

Sending and reminding are written to Wagtail's log of the letter (:mod:`.audit`).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.links import public_url
from people.mail import Message, enqueue_many, letter_text, register_kind
from people.mail.kinds import BULK
from people.mail.services import is_address
from people.models import Municipality, User
from people.scope import manager_scope

from ..models import Letter, LetterAcknowledgement, LetterRecipient, LetterReminder, LetterReminderRecipient
from ..models.letters import LEGAL_NORM_MAX_LENGTH, MESSAGE_MAX_LENGTH, SUBJECT_MAX_LENGTH
from . import audit
from .access import may_send, recipients_in

MAIL_LETTER = "municipal_letter"
MAIL_REMINDER = "municipal_letter_reminder"
DEFAULT_REMINDER_INTERVAL_HOURS = 24
WRITE_BATCH = 1000


def letter_kinds():
    """The kinds of material that are sent as letters (``cms.MaterialKind``)."""
    from cms.models import MaterialKind

    return (
        MaterialKind.INFORMATION_LETTER,
        MaterialKind.METHODOLOGICAL,
        MaterialKind.COURT_PRACTICE,
        MaterialKind.LEGISLATION_REVIEW,
    )


class LetterError(Exception):
    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


def register_mail_kinds():
    register_kind(MAIL_LETTER, gettext_lazy("Письмо уполномоченного органа муниципалитетам"), order=360)
    register_kind(
        MAIL_REMINDER, gettext_lazy("Напоминание об ознакомлении с письмом"), priority=BULK, order=361
    )


def reminder_interval():
    value = getattr(settings, "LETTERS_REMINDER_INTERVAL_HOURS", DEFAULT_REMINDER_INTERVAL_HOURS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return datetime.timedelta(hours=DEFAULT_REMINDER_INTERVAL_HOURS)
    return datetime.timedelta(hours=value)


# --- recipients ------------------------------------------------------------------------------------


def coordinators(municipalities=None, *, everywhere=False):
    """Active coordinators of ``municipalities`` (with their settlements), or of every municipality."""
    people = User.objects.active().filter(has_anticorruption_duties=True, municipality__isnull=False)
    if everywhere:
        return people
    ids = [m.pk for m in municipalities or ()]
    if not ids:
        return people.none()
    return people.in_municipalities(ids)


def letter_materials():
    """Live materials of a letter kind, newest first (what a letter is made from)."""
    from cms.models import MaterialPage

    return MaterialPage.objects.live().filter(kind__in=letter_kinds()).order_by("-date", "-pk")


def _clean(text, field_label, max_length, required=False):
    text = (text or "").strip()
    if required and not text:
        raise LetterError(_("Заполните поле «%(field)s».") % {"field": field_label})
    if len(text) > max_length:
        raise LetterError(
            _("Поле «%(field)s» длиннее %(limit)s знаков.") % {"field": field_label, "limit": max_length}
        )
    return text


# --- sending ---------------------------------------------------------------------------------------


def _letter_body(letter, person):
    parts = [
        _("Уполномоченный орган направляет вам материал «%(title)s» (%(kind)s).")
        % {"title": letter.material.title, "kind": letter.material.get_kind_display()}
    ]
    if letter.message:
        parts.append(letter.message)
    if letter.legal_norm:
        parts.append(_("Норма закона: %(norm)s.") % {"norm": letter.legal_norm})
    parts.append(
        _("Прочитайте письмо и отметьте «Ознакомлен» по ссылке:")
        + "\n"
        + public_url(reverse("letters:detail", args=[letter.pk]))
    )
    return letter_text(person, *parts)


def send_letter(
    user,
    *,
    material,
    subject="",
    message="",
    legal_norm="",
    municipalities=(),
    all_municipalities=False,
    now=None,
):
    """Send ``material`` to the coordinators of ``municipalities`` (or of all); returns the letter.

    Raises :class:`PermissionDenied` for anybody but a regional manager and :class:`LetterError` with a
    Russian message for a material that is not a live letter, no municipality chosen, or nobody to send to.
    """
    from cms.models import MaterialPage

    if not may_send(user):
        raise PermissionDenied
    if (
        not isinstance(material, MaterialPage)
        or not material.live
        or material.kind not in [str(kind) for kind in letter_kinds()]
    ):
        raise LetterError(_("Выберите опубликованный материал вида «письмо», «рекомендации» или «обзор»."))
    subject = _clean(subject, _("Тема письма"), SUBJECT_MAX_LENGTH) or material.title[:SUBJECT_MAX_LENGTH]
    message = _clean(message, _("Сопроводительный текст"), MESSAGE_MAX_LENGTH)
    legal_norm = _clean(legal_norm, _("Норма закона"), LEGAL_NORM_MAX_LENGTH)
    municipalities = list(municipalities or ())
    if not all_municipalities and not municipalities:
        raise LetterError(
            _("Выберите муниципальные образования или отметьте «Всем муниципальным образованиям».")
        )
    now = now or timezone.now()
    people = list(
        coordinators(municipalities, everywhere=all_municipalities)
        .order_by("pk")
        .only(
            "pk",
            "email",
            "first_name",
            "last_name",
            "patronymic",
            "username",
            "municipality_id",
            "organization_id",
        )
    )
    if not people:
        raise LetterError(
            _(
                "В выбранных муниципальных образованиях нет ответственных за противодействие коррупции "
                "(отметка «обязанности по противодействию коррупции» в профиле): письмо не отправлено."
            )
        )
    mailed = [person for person in people if person.email and is_address(person.email)]
    with transaction.atomic():
        letter = Letter.objects.create(
            material=material,
            subject=subject,
            message=message,
            legal_norm=legal_norm,
            all_municipalities=bool(all_municipalities),
            sent_by=user,
            sent_at=now,
            recipient_count=len(people),
            mailed_count=len(mailed),
        )
        if not all_municipalities:
            letter.municipalities.set(municipalities)
        with translation.override(settings.LANGUAGE_CODE):
            letters = enqueue_many(
                Message(
                    to=person.email,
                    subject=subject,
                    body=_letter_body(letter, person),
                    kind=MAIL_LETTER,
                    person=person,
                )
                for person in mailed
            )
        mail_of = {person.pk: row for person, row in zip(mailed, letters, strict=True)}
        LetterRecipient.objects.bulk_create(
            (
                LetterRecipient(
                    letter=letter,
                    user_id=person.pk,
                    municipality_id=person.municipality_id,
                    organization_id=person.organization_id,
                    mail=mail_of.get(person.pk),
                    created_at=now,
                )
                for person in people
            ),
            batch_size=WRITE_BATCH,
        )
        audit.log(letter, audit.SENT, user, {"recipients": len(people), "mailed": len(mailed)})
    return letter


# --- «Ознакомлен» ----------------------------------------------------------------------------------


def acknowledge(user, letter, now=None):
    """The recipient ``user`` has read ``letter``; returns ``(acknowledgement, created)``.

    Idempotent: the first time stays. Raises :class:`LetterError` for anybody who is not a recipient."""
    recipient = LetterRecipient.objects.filter(letter=letter, user_id=getattr(user, "pk", None)).first()
    if recipient is None or not user.is_authenticated:
        raise LetterError(_("Отметить ознакомление может только получатель письма."))
    now = now or timezone.now()
    created = LetterAcknowledgement.objects.bulk_create(
        [LetterAcknowledgement(recipient=recipient, acknowledged_at=now)], ignore_conflicts=True
    )
    acknowledgement = LetterAcknowledgement.objects.get(recipient=recipient)
    return acknowledgement, bool(created) and acknowledgement.acknowledged_at == now


# --- reminders -------------------------------------------------------------------------------------


def not_acknowledged(queryset):
    return queryset.filter(acknowledgement__isnull=True)


def recently_reminded(queryset, now):
    since = now - reminder_interval()
    return queryset.annotate(
        reminded_recently=Exists(
            LetterReminderRecipient.objects.filter(recipient=OuterRef("pk"), created_at__gt=since)
        )
    ).filter(reminded_recently=True)


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "j E Y, H:i")


def _reminder_body(letter, person):
    reminder = _(
        "Напоминаем: уполномоченный орган направил вам письмо «%(subject)s» %(when)s. Прочитайте его и "
        "отметьте «Ознакомлен» по ссылке:\n%(link)s"
    ) % {
        "subject": letter.subject,
        "when": _when(letter.sent_at),
        "link": public_url(reverse("letters:detail", args=[letter.pk])),
    }
    return letter_text(person, reminder)


def remind(user, letter, now=None):
    """Remind the recipients of ``user``'s scope who have not acknowledged ``letter``; returns the
    :class:`LetterReminder`. Raises :class:`PermissionDenied` for somebody who is not a manager and
    :class:`LetterError` when there is nobody to remind (everybody acknowledged, or everybody left was
    reminded within the interval)."""
    scope = manager_scope(user)
    now = now or timezone.now()
    with transaction.atomic():
        Letter.objects.select_for_update(of=("self",)).filter(pk=letter.pk).exists()  # one run at a time
        waiting = not_acknowledged(recipients_in(scope, letter))
        if not waiting.exists():
            raise LetterError(_("Все получатели уже ознакомились с письмом: напоминать некому."))
        recent = recently_reminded(waiting, now)
        due = list(waiting.exclude(pk__in=recent.values("pk")).select_related("user").order_by("pk"))
        if not due:
            last = (
                LetterReminderRecipient.objects.filter(recipient__in=waiting)
                .order_by("-created_at")
                .values_list("created_at", flat=True)
                .first()
            )
            raise LetterError(
                _("Напоминание уже отправлено %(when)s. Повторить его можно не раньше %(next)s.")
                % {"when": _when(last), "next": _when(last + reminder_interval())}
            )
        reminder = LetterReminder.objects.create(
            letter=letter, sent_by=user, scope=str(scope.description())[:500], created_at=now
        )
        LetterReminderRecipient.objects.bulk_create(
            (LetterReminderRecipient(reminder=reminder, recipient=row, created_at=now) for row in due),
            batch_size=WRITE_BATCH,
        )
        mailed = [
            row.user for row in due if row.user.is_active and row.user.email and is_address(row.user.email)
        ]
        with translation.override(settings.LANGUAGE_CODE):
            enqueue_many(
                Message(
                    to=person.email,
                    subject=_("Напоминание: %(subject)s") % {"subject": letter.subject},
                    body=_reminder_body(letter, person),
                    kind=MAIL_REMINDER,
                    person=person,
                )
                for person in mailed
            )
        audit.log(letter, audit.REMINDED, user, {"recipients": len(due), "mailed": len(mailed)})
    reminder.count = len(due)
    return reminder


def municipalities_for_form():
    """Top-level municipalities, for the form of a new letter (settlements go with their district)."""
    return Municipality.objects.top_level().order_by("name")
