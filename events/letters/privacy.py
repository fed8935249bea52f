"""Personal data of letters to municipalities (registered in ``events.letters.register``; see
:mod:`people.privacy`).

* Who received a letter, when they acknowledged it and whom a manager reminded are personal data.
* Retention: ``RETENTION_LETTERS_YEARS`` (default 5) after sending, the whole letter goes with its
  recipients, acknowledgements and reminders (the append-only rows leave only this way, whole). The
  material stays in the library.
* Anonymizing a leaver needs nothing here: the rows hold no free text of the person, only the link,
  which the anonymized account keeps without a name.
* «Мои данные»: the letters the person received, when they acknowledged them, and the reminders.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.privacy import DataSheet, RetentionRule, register_provider, register_rule

from ..models import Letter, LetterRecipient, LetterReminderRecipient


def _old(cutoff):
    return Letter.objects.filter(sent_at__lt=cutoff)


def delete_old_letters(cutoff):
    """Delete the letters sent before ``cutoff`` with their rows; returns how many letters."""
    return _old(cutoff).delete()[1].get(Letter._meta.label, 0)


LETTERS = RetentionRule(
    key="letters",
    label=gettext_lazy("Письма муниципалитетам: получатели, отметки об ознакомлении и напоминания"),
    setting="RETENTION_LETTERS_YEARS",
    default_years=5,
    counted_from=gettext_lazy("после отправки письма"),
    outcome=gettext_lazy(
        "Письмо удаляется вместе со списком получателей, отметками об ознакомлении и напоминаниями; "
        "материал остаётся в библиотеке."
    ),
    count=lambda cutoff: _old(cutoff).count(),
    apply=lambda cutoff, now: delete_old_letters(cutoff),
)


def my_letters(user):
    rows = list(
        LetterRecipient.objects.filter(user=user)
        .select_related("letter__material", "acknowledgement")
        .order_by("created_at", "pk")
    )
    reminded = {}
    for recipient_id, moment in LetterReminderRecipient.objects.filter(recipient__user=user).values_list(
        "recipient_id", "created_at"
    ):
        reminded.setdefault(recipient_id, []).append(moment)

    def acknowledged(row):
        try:
            return row.acknowledgement.acknowledged_at
        except LetterRecipient.acknowledgement.RelatedObjectDoesNotExist:
            return None

    sheet = DataSheet(
        _("Письма уполномоченного органа"),
        [
            _("Номер письма"),
            _("Отправлено"),
            _("Тема письма"),
            _("Материал"),
            _("Ознакомлен"),
            _("Напоминаний"),
            _("Последнее напоминание"),
        ],
        [
            [
                row.letter_id,
                row.created_at,
                row.letter.subject,
                row.letter.material.title,
                acknowledged(row),
                len(reminded.get(row.pk, [])),
                max(reminded[row.pk]) if row.pk in reminded else None,
            ]
            for row in rows
        ],
    )
    return [sheet]


def register():
    register_rule(LETTERS)
    register_provider(my_letters, order=46)
