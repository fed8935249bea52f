"""Forms of the contest; uploads are checked by :mod:`.uploads`."""

import datetime

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from .uploads import check_consent, check_work

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegistrationForm(forms.Form):
    last_name = forms.CharField(label=_("Фамилия"), max_length=100)
    first_name = forms.CharField(label=_("Имя"), max_length=100)
    patronymic = forms.CharField(label=_("Отчество (если есть)"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=_("Дата рождения"),
        widget=DATE_INPUT,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": _("Введите дату рождения, например 15.03.2006.")},
    )
    institution = forms.CharField(label=_("Образовательная организация"), max_length=250)
    email = forms.EmailField(label=_("Электронная почта"), max_length=254)
    password = forms.CharField(label=_("Пароль"), widget=forms.PasswordInput, max_length=128, strip=False)
    publish_name = forms.BooleanField(
        label=_("Согласен(на) на публикацию моих имени и фамилии, если работа станет победителем"),
        required=False,
    )
    parent_consent = forms.BooleanField(
        label=_("Родитель (законный представитель) согласен на моё участие и обработку персональных данных"),
        required=False,
        help_text=_("Обязательно для участников младше 18 лет."),
    )
    parent_name = forms.CharField(
        label=_("Фамилия, имя и отчество родителя (законного представителя)"), max_length=250, required=False
    )
    consent_file = forms.FileField(
        label=_("Подписанное согласие родителя (PDF, JPG или PNG)"),
        required=False,
        help_text=_("Обязательно для участников младше 18 лет."),
    )
    personal_data = forms.BooleanField(
        label=_("Согласен(на) на обработку персональных данных организаторами конкурса"),
        error_messages={"required": _("Без согласия на обработку персональных данных участие невозможно.")},
    )

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value < datetime.date(1900, 1, 1):
            raise forms.ValidationError(_("Проверьте дату рождения."))
        return value

    def clean_password(self):
        value = self.cleaned_data["password"]
        validate_password(value)
        return value

    def clean_consent_file(self):
        upload = self.cleaned_data.get("consent_file")
        if upload:
            check_consent(upload)
        return upload


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("Электронная почта"), max_length=254)
    password = forms.CharField(label=_("Пароль"), widget=forms.PasswordInput, max_length=128, strip=False)


class WorkForm(forms.Form):
    nomination = forms.ModelChoiceField(
        label=_("Номинация"),
        queryset=None,
        empty_label=_("Выберите номинацию"),
        error_messages={
            "required": _("Выберите номинацию."),
            "invalid_choice": _("Выберите номинацию из списка."),
        },
    )
    title = forms.CharField(label=_("Название работы"), max_length=200)
    file = forms.FileField(
        label=_("Файл работы"),
        help_text=_("PDF, DOCX, JPG, PNG или короткое видео MP4, WebM."),
        error_messages={"required": _("Приложите файл работы.")},
    )

    def __init__(self, contest, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = contest.nominations.all()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.file_type = check_work(upload)
        return upload


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("Комментарий (необязательно)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, criteria, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=_("%(title)s (от 0 до %(max)s)")
                % {"title": criterion.title, "max": criterion.max_points},
                min_value=0,
                max_value=criterion.max_points,
                error_messages={
                    "required": _("Поставьте баллы по этому критерию."),
                    "invalid": _("Введите целое число."),
                    "min_value": _("Баллы не могут быть меньше 0."),
                    "max_value": _("Не больше %(limit_value)s баллов."),
                },
            )

    def points(self):
        return {criterion.pk: self.cleaned_data[f"criterion_{criterion.pk}"] for criterion in self.criteria}


class PlaceForm(forms.Form):
    place = forms.TypedChoiceField(
        label=_("Место"),
        choices=[("", _("нет")), ("1", "1"), ("2", "2"), ("3", "3")],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Место — 1, 2, 3 или «нет».")},
    )


class JuryForm(forms.Form):
    jurors = forms.ModelMultipleChoiceField(
        label=_("Члены жюри этого конкурса"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Выберите членов жюри из списка."),
            "invalid_pk_value": _("Выберите членов жюри из списка."),
        },
    )

    def __init__(self, contest, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from people.models import User
        from people.roles import GROUP_NAMES, Role

        holders = User.objects.filter(groups__name=GROUP_NAMES[Role.JURY], is_active=True)
        ids = set(holders.values_list("pk", flat=True)) | set(contest.jurors.values_list("pk", flat=True))
        field = self.fields["jurors"]
        field.queryset = User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")
        field.label_from_instance = lambda user: user.get_full_name() or user.username


class EntryActionForm(forms.Form):
    """A POST on the organizers' page about one contestant: delete the unconfirmed entry or resend the
    confirmation letter."""

    action = forms.ChoiceField(choices=[("delete", "delete"), ("resend", "resend")])
    contestant = forms.IntegerField(min_value=1, max_value=2**62)
