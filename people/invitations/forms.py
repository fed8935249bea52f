from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CodeSetPasswordForm(forms.Form):
    """Login, the one-time code from the printed list and the new password twice."""

    login = forms.CharField(
        label=_("Логин"),
        max_length=254,
        help_text=_("Как написан в списке, который вам выдали."),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    code = forms.CharField(
        label=_("Код из списка"),
        max_length=40,
        help_text=_("Десять букв и цифр, например ABCDE-23456; регистр и дефис не важны."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    new_password1 = forms.CharField(
        label=_("Новый пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("Новый пароль ещё раз"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def check_password_for(self, user):
        """Whether the new password suits ``user`` (errors go to the password fields)."""
        first = self.cleaned_data["new_password1"]
        if first != self.cleaned_data["new_password2"]:
            self.add_error("new_password2", _("Пароли не совпадают."))
            return False
        try:
            password_validation.validate_password(first, user)
        except ValidationError as error:
            self.add_error("new_password1", error)
            return False
        return True
