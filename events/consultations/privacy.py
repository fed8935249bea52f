"""Personal data of consultations (registered in ``events.consultations.register``; see
:mod:`people.privacy`).

* Retention: ``RETENTION_CONSULTATIONS_YEARS`` after the last change of a thread, its texts go: the
  question's subject and text, every message and the attachment; the link to the asker is cut. The row
  stays (topic, municipality, organization, dates, state) because the figures count it (plan item 1.3,
  the managers' overview). A published FAQ is anonymised content of the library and stays.
* Anonymizing a person does the same to the questions they asked (their own words may name them).
* «Мои данные»: the person's questions with their threads (the answers are written to them).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.privacy import DataSheet, RetentionRule, register_eraser, register_provider, register_rule

from ..models import Consultation, ConsultationMessage


def erase_texts(consultations, now=None):
    """Remove the texts and attachments of ``consultations`` (a queryset); returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        return _erase(consultations, now)


def _erase(consultations, now):
    count = 0
    for consultation in consultations.filter(texts_erased_at=None).select_for_update(of=("self",)):
        if consultation.attachment:
            name = consultation.attachment.name
            storage = consultation.attachment.storage
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        ConsultationMessage.objects.filter(consultation=consultation).delete()
        Consultation.objects.filter(pk=consultation.pk).update(
            subject="",
            text="",
            attachment="",
            attachment_name="",
            asker=None,
            texts_erased_at=now,
        )
        count += 1
    return count


def _old(cutoff):
    return Consultation.objects.filter(texts_erased_at=None, updated_at__lt=cutoff)


def erase_questions_of(user_ids):
    erase_texts(Consultation.objects.filter(asker_id__in=user_ids))


CONSULTATIONS = RetentionRule(
    key="consultations",
    label=gettext_lazy("Вопросы в уполномоченный орган (консультации) и переписка по ним"),
    setting="RETENTION_CONSULTATIONS_YEARS",
    default_years=3,
    counted_from=gettext_lazy("после последнего сообщения"),
    outcome=gettext_lazy(
        "Тексты вопросов, ответов и вложения удаляются, связь с автором вопроса снимается; для отчётов "
        "остаются тема, муниципальное образование и даты."
    ),
    count=lambda cutoff: _old(cutoff).count(),
    apply=lambda cutoff, now: erase_texts(_old(cutoff), now),
)


def my_consultations(user):
    questions = list(
        Consultation.objects.filter(asker=user).select_related("topic").order_by("created_at", "pk")
    )
    sheet = DataSheet(
        _("Вопросы (консультации)"),
        [
            _("Номер"),
            _("Задан"),
            _("Тема"),
            _("Вопрос кратко"),
            _("Вопрос"),
            _("Вложение"),
            _("Состояние"),
            _("Первый ответ"),
        ],
        [
            [
                question.pk,
                question.created_at,
                question.topic.name,
                question.subject,
                question.text,
                question.attachment_name,
                question.get_state_display(),
                question.first_answered_at,
            ]
            for question in questions
        ],
    )
    messages = DataSheet(
        _("Переписка по вопросам"),
        [_("Номер вопроса"), _("Время"), _("Вид"), _("Текст")],
        [
            [message.consultation_id, message.created_at, message.get_kind_display(), message.text]
            for message in ConsultationMessage.objects.filter(consultation__asker=user).order_by(
                "consultation_id", "created_at", "pk"
            )
        ],
    )
    return [sheet, messages]


def register():
    register_rule(CONSULTATIONS)
    register_eraser(erase_questions_of)
    register_provider(my_consultations, order=45)
