"""Forms of consultations. Uploads get the documents' checks: the extension from
``WAGTAILDOCS_EXTENSIONS`` (office formats, never HTML, SVG or scripts) and the size from
``WAGTAILDOCS_MAX_UPLOAD_SIZE``; the file is served back only as a download with nosniff and a CSP that
blocks scripts (PDF alone opens in the browser), as Wagtail serves documents."""

import datetime
import os

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ConsultationTopic
from ..models.consultations import SUBJECT_MAX_LENGTH, TEXT_MAX_LENGTH
from .faq import TITLE_MAX_LENGTH


def allowed_extensions():
    return [extension.lower() for extension in settings.WAGTAILDOCS_EXTENSIONS]


def check_attachment(upload):
    """The documents' upload checks; raises ``ValidationError`` with a Russian message."""
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    if extension not in allowed_extensions():
        raise forms.ValidationError(
            _("Файлы с расширением «%(extension)s» не принимаются. Допустимые форматы: %(allowed)s."),
            params={"extension": extension or "—", "allowed": ", ".join(allowed_extensions())},
            code="extension",
        )
    limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
    if limit is not None and upload.size > limit:
        raise forms.ValidationError(
            _("Файл слишком большой (%(size)s); можно не больше %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="size",
        )
    if not upload.size:
        raise forms.ValidationError(_("Файл пустой."), code="empty")
    return upload


class AskForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Тема"),
        queryset=ConsultationTopic.objects.filter(is_active=True),
        empty_label=_("Выберите тему"),
        error_messages={
            "required": _("Выберите тему вопроса."),
            "invalid_choice": _("Выберите тему вопроса из списка."),
        },
    )
    subject = forms.CharField(
        label=_("Вопрос кратко"),
        max_length=SUBJECT_MAX_LENGTH,
        error_messages={"required": _("Напишите вопрос кратко, одной строкой.")},
        help_text=_("Одной строкой, например: «Нужно ли уведомлять о подарке стоимостью до 3000 рублей»."),
    )
    text = forms.CharField(
        label=_("Вопрос"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Напишите текст вопроса.")},
    )
    attachment = forms.FileField(
        label=_("Вложение (необязательно)"),
        required=False,
        help_text=_("Документ к вопросу: PDF, DOC, DOCX, XLS, XLSX, ODT, RTF, TXT и другие офисные форматы."),
    )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return check_attachment(upload) if upload else None


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Текст"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Напишите текст сообщения.")},
    )


class PublishForm(forms.Form):
    title = forms.CharField(label=_("Заголовок"), max_length=TITLE_MAX_LENGTH)
    question = forms.CharField(
        label=_("Вопрос, как он будет опубликован"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    answer = forms.CharField(
        label=_("Ответ, как он будет опубликован"),
        max_length=TEXT_MAX_LENGTH * 3,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Абзацы разделяйте пустой строкой."),
    )


# The years a period may span (reports.period has the same bounds; events may not import reports).
FIRST_YEAR, LAST_YEAR = 2000, 2100


class OverviewForm(forms.Form):
    """The managers' overview: a period (by the date asked), a topic and a state."""

    start = forms.DateField(label=_("С"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("По"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.ModelChoiceField(
        label=_("Тема"), queryset=ConsultationTopic.objects.all(), required=False, empty_label=_("Все темы")
    )
    state = forms.ChoiceField(
        label=_("Состояние"),
        required=False,
        choices=[
            ("", _("Все")),
            ("open", _("ожидают ответа")),
            ("overdue", _("просрочены")),
            ("answered", _("дан ответ")),
            ("closed", _("закрыты")),
        ],
    )

    @staticmethod
    def defaults():
        """From the first of January to today, every topic and state."""
        today = timezone.localdate()
        return {"start": datetime.date(today.year, 1, 1), "end": today, "topic": None, "state": ""}

    def clean(self):
        data = super().clean()
        defaults = self.defaults()
        data["start"] = data.get("start") or defaults["start"]
        data["end"] = data.get("end") or defaults["end"]
        if data["start"] > data["end"]:
            raise forms.ValidationError(_("Начало периода позже его конца."))
        if not (data["start"].year >= FIRST_YEAR and data["end"].year <= LAST_YEAR):
            # a period far outside the platform's years overflows the date arithmetic of the counts
            raise forms.ValidationError(
                _("Период должен лежать в пределах %(first)s–%(last)s годов.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return data
