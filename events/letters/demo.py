"""A demo letter for ``manage.py demo_data`` (registered after the materials library): «region» sends
the library's review of changes in the law (or any letter-kind material) to the anti-corruption
coordinators of every municipality, with a legal norm; about half of them, among them «obninsk», have
acknowledged it.

Idempotent: the letter is found by its subject and nothing that exists is changed.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import MaterialKind
from people.models import User

from ..models import Letter, LetterRecipient
from . import services

SUBJECT = "Об изменениях антикоррупционного законодательства: актуализация муниципальных правовых актов"
MESSAGE = (
    "Просим ознакомиться с обзором и до конца квартала проверить муниципальные правовые акты о порядке "
    "представления сведений о доходах и о комиссиях по соблюдению требований к служебному поведению."
)
LEGAL_NORM = "273-ФЗ"


def _material():
    materials = services.letter_materials()
    return materials.filter(kind=MaterialKind.LEGISLATION_REVIEW).first() or materials.first()


def build_demo_letters(stdout, options):
    if Letter.objects.filter(subject=SUBJECT).exists():
        return
    sender = User.objects.filter(username="region", is_active=True).first()
    material = _material()
    if sender is None or material is None or not services.coordinators(everywhere=True).exists():
        stdout.write(_("Письма муниципалитетам: нет материала или ответственных — пропускаю."))
        return
    sent_at = timezone.now() - datetime.timedelta(days=6)
    letter = services.send_letter(
        sender,
        material=material,
        subject=SUBJECT,
        message=MESSAGE,
        legal_norm=LEGAL_NORM,
        all_municipalities=True,
        now=sent_at,
    )
    rows = list(LetterRecipient.objects.filter(letter=letter).select_related("user").order_by("pk"))
    acknowledged = 0
    for index, row in enumerate(rows):
        if row.user.username == "obninsk" or index % 2 == 0:
            services.acknowledge(row.user, letter, now=sent_at + datetime.timedelta(days=1, hours=index % 48))
            acknowledged += 1
    stdout.write(
        _("Письма муниципалитетам: отправлено письмо, получателей %(count)d, ознакомились %(done)d.")
        % {"count": len(rows), "done": acknowledged}
    )
