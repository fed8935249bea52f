"""Forms of the managers' operations on one person's test; every operation asks for its reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .exceptions import InvalidOperation
from .models.operations import MAX_EXTRA_MINUTES, MAX_REASON_LENGTH
from .services.operations import parse_points


def reason_field(help_text=""):
    return forms.CharField(
        label=_("Причина"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Укажите причину.")},
        help_text=help_text or _("Обязательно. Сохраняется в журнале операций вместе с вашим именем."),
    )


class ReasonForm(forms.Form):
    """An operation that needs nothing but its reason (an extra attempt, the reset of an attempt)."""

    reason = reason_field()


class ExtraTimeForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Дополнительное время, минут"),
        min_value=0,
        max_value=MAX_EXTRA_MINUTES,
        help_text=_("Всего сверх ограничения времени теста, от 0 до %(max)s; 0 — отменить.")
        % {"max": MAX_EXTRA_MINUTES},
    )
    reason = reason_field()


class OverrideForm(forms.Form):
    points = forms.CharField(
        label=_("Баллы за ответ"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6}),
    )
    reason = reason_field(_("Обязательно: например, решение апелляционной комиссии от 12.05.2025 № 3."))

    def clean_points(self):
        try:
            return parse_points(self.cleaned_data["points"])
        except InvalidOperation as error:
            raise forms.ValidationError(error.message) from None


class RegradeForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = reason_field(
        _("Обязательно: например, «исправлен ключ вопроса по письму методиста от 12.05.2025».")
    )
