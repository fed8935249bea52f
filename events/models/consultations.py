"""Consultations («регулярное консультирование»): a servant or a municipal coordinator asks the
authorized body a question; regional managers answer in a thread; an answered question may be
published, anonymised, as a «Вопрос — ответ» material of the library (``faq_page``).

State changes go through :mod:`events.consultations.services`; access through
:mod:`events.consultations.access`. See ``docs/consultations.md``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.private_storage import PrivateFolderStorage, random_file_name

SUBJECT_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 5000


# Attachments live outside MEDIA_ROOT, under no public URL: only the thread's view serves them.
# ``CONSULTATION_FILES_ROOT`` (optional setting) names the folder; by default ``var/consultations``.
_storage = PrivateFolderStorage("CONSULTATION_FILES_ROOT", "consultations")


def consultation_storage():
    """The storage of Consultation.attachment (a callable, so migrations do not freeze a path)."""
    return _storage


def attachment_upload_to(instance, filename):
    """A random name keeping only the (checked) extension: the person's file name is kept apart."""
    return random_file_name(filename)


class ConsultationTopic(models.Model):
    name = models.CharField(_("название"), max_length=150, unique=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(
        _("предлагается"),
        default=True,
        help_text=_("Снимите, чтобы тему больше не выбирали в новых вопросах."),
    )

    verbose_name_accusative = _("тему консультаций")  # «Добавить тему консультаций» (cms.admin_wording)

    class Meta:
        verbose_name = _("тема консультаций")
        verbose_name_plural = _("темы консультаций")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ConsultationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=Consultation.State.OPEN)

    def overdue(self, today=None):
        """Open questions whose term of answer (``due_on``) has passed."""
        today = today or timezone.localdate()
        return self.open().filter(due_on__lt=today)

    def asked_between(self, start, end):
        """Asked within ``[start, end)`` (aware datetimes)."""
        return self.filter(created_at__gte=start, created_at__lt=end)


class Consultation(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("ожидает ответа")
        ANSWERED = "answered", _("дан ответ")
        CLOSED = "closed", _("закрыт")

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто спросил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    topic = models.ForeignKey(
        ConsultationTopic, verbose_name=_("тема"), on_delete=models.PROTECT, related_name="consultations"
    )
    subject = models.CharField(_("вопрос кратко"), max_length=SUBJECT_MAX_LENGTH)
    text = models.TextField(_("вопрос"), max_length=TEXT_MAX_LENGTH)
    municipality = models.ForeignKey(
        "people.Municipality",
        verbose_name=_("муниципальное образование"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Из профиля спросившего на момент вопроса."),
    )
    organization = models.ForeignKey(
        "people.Organization",
        verbose_name=_("организация"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attachment = models.FileField(
        _("вложение"),
        storage=consultation_storage,
        upload_to=attachment_upload_to,
        max_length=255,
        blank=True,
    )
    attachment_name = models.CharField(_("имя файла вложения"), max_length=255, blank=True)
    state = models.CharField(_("состояние"), max_length=20, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("задан"), default=timezone.now)
    updated_at = models.DateTimeField(_("последнее изменение"), default=timezone.now)
    waiting_since = models.DateTimeField(
        _("ожидает ответа с"), null=True, blank=True, help_text=_("Время вопроса или последнего уточнения.")
    )
    due_on = models.DateField(_("срок ответа"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("первый ответ"), null=True, blank=True)
    answered_at = models.DateTimeField(_("последний ответ"), null=True, blank=True)
    closed_at = models.DateTimeField(_("закрыт"), null=True, blank=True)
    texts_erased_at = models.DateTimeField(
        _("тексты удалены"),
        null=True,
        blank=True,
        help_text=_("По сроку хранения или при обезличивании спросившего; запись остаётся для подсчётов."),
    )
    faq_page = models.ForeignKey(
        "cms.MaterialPage",
        verbose_name=_("опубликован как материал"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("консультация")
        verbose_name_plural = _("консультации")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="consultation_state_due_on"),
            models.Index(fields=["created_at"], name="consultation_created_at"),
            models.Index(fields=["asker", "created_at"], name="consultation_asker_created"),
        ]

    def __str__(self):
        return self.subject or str(_("Консультация № %(number)s") % {"number": self.pk})

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("consultations:detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.is_open and self.due_on is not None and self.due_on < today

    @property
    def has_answer(self):
        return self.first_answered_at is not None


class ConsultationMessage(models.Model):
    class Kind(models.TextChoices):
        ANSWER = "answer", _("ответ")
        FOLLOW_UP = "follow_up", _("уточнение")

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("консультация"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("текст"), max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(_("время"), default=timezone.now)

    class Meta:
        verbose_name = _("сообщение консультации")
        verbose_name_plural = _("сообщения консультаций")
        ordering = ["consultation", "created_at", "pk"]
        indexes = [models.Index(fields=["consultation", "created_at"], name="consultation_message_thread")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"
