"""The form of a new letter to municipalities (regional managers)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models.letters import LEGAL_NORM_MAX_LENGTH, MESSAGE_MAX_LENGTH, SUBJECT_MAX_LENGTH
from .services import letter_materials, municipalities_for_form


class MaterialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, material):
        return f"{material.get_kind_display()}: {material.title}"


class LetterForm(forms.Form):
    material = MaterialChoiceField(
        label=_("Материал библиотеки"),
        queryset=None,
        empty_label=_("Выберите материал"),
        help_text=_(
            "Опубликованное информационное письмо, методические рекомендации, судебная практика "
            "или обзор изменений законодательства."
        ),
        error_messages={
            "required": _("Выберите материал."),
            "invalid_choice": _("Выберите опубликованный материал из списка."),
        },
    )
    subject = forms.CharField(
        label=_("Тема письма (необязательно)"),
        max_length=SUBJECT_MAX_LENGTH,
        required=False,
        help_text=_("Если пусто — название материала."),
    )
    message = forms.CharField(
        label=_("Сопроводительный текст (необязательно)"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    legal_norm = forms.CharField(
        label=_("Норма закона (необязательно)"),
        max_length=LEGAL_NORM_MAX_LENGTH,
        required=False,
        help_text=_(
            "Для письма об изменении закона, например «ст. 12 273-ФЗ»: по ней найдутся вопросы банка."
        ),
    )
    all_municipalities = forms.BooleanField(label=_("Всем муниципальным образованиям"), required=False)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Муниципальные образования"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Вместе с поселениями в их составе."),
        error_messages={
            "invalid_choice": _("Выберите муниципальные образования из списка."),
            "invalid_pk_value": _("Выберите муниципальные образования из списка."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = letter_materials()
        self.fields["municipalities"].queryset = municipalities_for_form()

    def clean(self):
        data = super().clean()
        if (
            not data.get("all_municipalities")
            and not data.get("municipalities")
            and "municipalities" not in self.errors
        ):
            self.add_error(
                "municipalities",
                _("Выберите муниципальные образования или отметьте «Всем муниципальным образованиям»."),
            )
        return data
