"""«Письма уполномоченного органа» in «Мой кабинет» and the notices of letters and reminders
(registered in ``events.letters``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from people.notices import Notice

from ..models import LetterRecipient, LetterReminderRecipient

SECTION_LIMIT = 10


def received_by(user):
    """The person's letters (their recipient rows), newest first: «Мои письма» and the cabinet section."""
    return (
        LetterRecipient.objects.filter(user=user)
        .select_related("letter__material", "acknowledgement")
        .order_by("-created_at", "-pk")
    )


def my_letters_section(request):
    """Shown to recipients only: their latest letters, each acknowledged or not."""
    if not request.user.is_authenticated:
        return None
    rows = list(received_by(request.user)[: SECTION_LIMIT + 1])
    if not rows:
        return None
    return {
        "title": _("Письма уполномоченного органа"),
        "template": "events/letters/cabinet_section.html",
        "rows": rows[:SECTION_LIMIT],
        "more": len(rows) > SECTION_LIMIT,
    }


def my_notices(user, limit):
    """Each letter the person received and each reminder, newest first (a source of people.notices)."""
    received = (
        LetterRecipient.objects.filter(user=user)
        .select_related("letter")
        .order_by("-created_at", "-pk")[:limit]
    )
    reminded = (
        LetterReminderRecipient.objects.filter(recipient__user=user)
        .select_related("recipient__letter")
        .order_by("-created_at", "-pk")[:limit]
    )
    notices = [
        Notice(
            created_at=row.created_at,
            title=row.letter.subject,
            text=_("Уполномоченный орган направил вам письмо. Прочитайте его и отметьте «Ознакомлен»."),
            url=reverse("letters:detail", args=[row.letter_id]),
            link_text=_("Открыть письмо"),
        )
        for row in received
    ]
    notices += [
        Notice(
            created_at=row.created_at,
            title=row.recipient.letter.subject,
            text=_("Напоминание: отметьте, что вы ознакомились с письмом уполномоченного органа."),
            url=reverse("letters:detail", args=[row.recipient.letter_id]),
            link_text=_("Открыть письмо"),
        )
        for row in reminded
    ]
    notices.sort(key=lambda notice: notice.created_at, reverse=True)
    return notices[:limit]
