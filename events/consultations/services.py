"""State changes of consultations: asking, answering, following up, closing.

Asking writes the attachment and the row together: if the row is not saved (or its transaction is
rolled back), the file is deleted. Each change locks the question's row, checks who may do it
(:mod:`.access`) and raises :class:`ConsultationError` with a Russian message otherwise. Answering
tells the asker by mail (through the outbox, in the same transaction) and in «Мой кабинет»
(:mod:`.cabinet` reads the answers).
Answering, closing by staff, publishing and managers' viewing are written to Wagtail's log of the
question (:mod:`.audit`).

**Term of answer.** A question waits ``CONSULTATION_ANSWER_WORKING_DAYS`` working days (Monday to
Friday; public holidays are not known to the platform) from the day it was asked or followed up;
``due_on`` is that day, fixed when the question starts waiting. An open question past ``due_on`` is
overdue.
"""

import contextlib
import datetime
import weakref

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.links import public_url
from people.mail import enqueue, register_kind

from ..models import Consultation, ConsultationMessage, ConsultationTopic
from ..models.consultations import SUBJECT_MAX_LENGTH, TEXT_MAX_LENGTH
from . import audit
from .access import ANSWERER, ASKER, relation

DEFAULT_WORKING_DAYS = 10
MAIL_ANSWER = "consultation_answer"


class ConsultationError(Exception):
    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


def register_mail_kinds():
    register_kind(MAIL_ANSWER, gettext_lazy("Ответ на вопрос (консультация)"), order=350)


# --- the term of answer ----------------------------------------------------------------------------


def working_days():
    value = getattr(settings, "CONSULTATION_ANSWER_WORKING_DAYS", DEFAULT_WORKING_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return DEFAULT_WORKING_DAYS
    return value


def add_working_days(day, count):
    """The ``count``-th working day (Monday–Friday) after ``day``."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def due_date(moment):
    """The last day of the term of answer for a question that starts waiting at ``moment``."""
    return add_working_days(timezone.localdate(moment), working_days())


# --- changes ---------------------------------------------------------------------------------------


def _clean_text(text, field_label, max_length):
    text = (text or "").strip()
    if not text:
        raise ConsultationError(_("Заполните поле «%(field)s».") % {"field": field_label})
    if len(text) > max_length:
        raise ConsultationError(
            _("Поле «%(field)s» длиннее %(limit)s знаков.") % {"field": field_label, "limit": max_length}
        )
    return text


def ask(user, *, topic, subject, text, attachment=None, now=None):
    """A new question of ``user``; the municipality and organization are taken from their profile."""
    if not user.is_authenticated or not user.is_active:
        raise ConsultationError(_("Задать вопрос может только вошедший пользователь."))
    if not isinstance(topic, ConsultationTopic) or not topic.is_active:
        raise ConsultationError(_("Выберите тему вопроса из списка."))
    subject = _clean_text(subject, _("Вопрос кратко"), SUBJECT_MAX_LENGTH)
    text = _clean_text(text, _("Вопрос"), TEXT_MAX_LENGTH)
    now = now or timezone.now()
    consultation = Consultation(
        asker=user,
        topic=topic,
        subject=subject,
        text=text,
        municipality_id=user.municipality_id,
        organization_id=user.organization_id,
        created_at=now,
        updated_at=now,
        waiting_since=now,
        due_on=due_date(now),
    )
    with transaction.atomic():
        if attachment is not None:
            consultation.attachment_name = attachment.name[:255]
            consultation.attachment.save(attachment.name, attachment, save=False)
        try:
            consultation.save()
        except BaseException:
            if consultation.attachment:
                _delete_file(consultation.attachment.storage, consultation.attachment.name)
            raise
        if consultation.attachment:
            _delete_unless_committed(consultation.attachment.storage, consultation.attachment.name)
    return consultation


def _delete_file(storage, name):
    with contextlib.suppress(OSError):  # else the file stays unreferenced; nothing serves it without a row
        storage.delete(name)


class _UncommittedFile:
    """An attachment written for a row not committed yet: deleted when this object is discarded unless
    :meth:`keep` (the ``on_commit`` callback) ran first. Django drops the callbacks of a transaction or
    savepoint that is rolled back, and nothing else refers to this object, so the file goes with them."""

    def __init__(self, storage, name):
        self._finalizer = weakref.finalize(self, _delete_unrecorded, storage, name)

    def keep(self):
        self._finalizer.detach()


def _delete_unrecorded(storage, name):
    """Delete an attachment no row refers to. (The callback is also dropped, after the commit, when an
    earlier ``on_commit`` callback raised: the row then exists and the file stays.)"""
    if not _recorded(Consultation.objects.filter(attachment=name)):
        _delete_file(storage, name)


def _recorded(queryset):
    """Whether ``queryset`` has a row, asked only when the connection may be queried: not in the middle
    of rolling back the outermost transaction (autocommit still off, no atomic block), which is a
    rollback anyway; any error counts as not recorded."""
    connection = transaction.get_connection(queryset.db)
    try:
        if connection.connection is None or not (connection.in_atomic_block or connection.get_autocommit()):
            return False
        return queryset.exists()
    except Exception:  # a broken transaction or connection: it is being rolled back
        return False


def _delete_unless_committed(storage, name):
    # A function of its own so that no frame (an exception's traceback, say) keeps the object alive.
    transaction.on_commit(_UncommittedFile(storage, name).keep)


def _locked(consultation):
    return (
        Consultation.objects.select_for_update(of=("self",)).select_related("asker").get(pk=consultation.pk)
    )


def reply(user, consultation, text, now=None):
    """An answer (a regional manager) or a follow-up (the asker); returns the new message."""
    text = _clean_text(text, _("Текст"), TEXT_MAX_LENGTH)
    now = now or timezone.now()
    role = relation(user, consultation)
    if role not in (ASKER, ANSWERER):
        raise ConsultationError(_("Отвечать на вопросы может только уполномоченный орган."))
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.texts_erased_at is not None:
            raise ConsultationError(_("Переписка по этому вопросу удалена, продолжить её нельзя."))
        if consultation.state == Consultation.State.CLOSED:
            raise ConsultationError(_("Вопрос закрыт: задайте новый вопрос."))
        if role == ASKER:
            message = ConsultationMessage.objects.create(
                consultation=consultation,
                author=user,
                kind=ConsultationMessage.Kind.FOLLOW_UP,
                text=text,
                created_at=now,
            )
            consultation.state = Consultation.State.OPEN
            consultation.waiting_since = now
            consultation.due_on = due_date(now)
        else:
            message = ConsultationMessage.objects.create(
                consultation=consultation,
                author=user,
                kind=ConsultationMessage.Kind.ANSWER,
                text=text,
                created_at=now,
            )
            consultation.state = Consultation.State.ANSWERED
            consultation.answered_at = now
            consultation.first_answered_at = consultation.first_answered_at or now
            consultation.waiting_since = None
            consultation.due_on = None
            audit.log(consultation, audit.ANSWERED, user, {"message": message.pk})
            _mail_answer(consultation)
        consultation.updated_at = now
        consultation.save()
    return message


def close(user, consultation, now=None):
    """The asker or a regional manager closes the thread (no more messages)."""
    now = now or timezone.now()
    role = relation(user, consultation)
    if role not in (ASKER, ANSWERER):
        raise ConsultationError(_("Закрыть вопрос может спросивший или уполномоченный орган."))
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.state == Consultation.State.CLOSED:
            raise ConsultationError(_("Вопрос уже закрыт."))
        consultation.state = Consultation.State.CLOSED
        consultation.closed_at = now
        consultation.updated_at = now
        consultation.waiting_since = None
        consultation.due_on = None
        consultation.save()
        if role == ANSWERER:
            audit.log(consultation, audit.CLOSED, user)
    return consultation


def _mail_answer(consultation):
    asker = consultation.asker
    if asker is None or not asker.email or not asker.is_active:
        return
    with translation.override(settings.LANGUAGE_CODE):
        link = public_url(reverse("consultations:detail", args=[consultation.pk]))
        enqueue(
            to=asker.email,
            subject=_("Ответ на ваш вопрос: %(subject)s") % {"subject": consultation.subject},
            body=_(
                "Здравствуйте, %(name)s!\n\n"
                "Уполномоченный орган ответил на ваш вопрос «%(subject)s». Ответ и всю переписку можно "
                "прочитать по ссылке:\n%(link)s\n\n"
                "Ответ виден и в «Моём кабинете». Если что-то осталось неясным, задайте уточняющий вопрос "
                "на той же странице."
            )
            % {
                "name": asker.get_short_name() or asker.username,
                "subject": consultation.subject,
                "link": link,
            },
            kind=MAIL_ANSWER,
            person=asker,
        )
