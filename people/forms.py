from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class AccountPasswordResetForm(PasswordResetForm):
    """Password reset that also reaches people who never had a password.

    Accounts made by the roster import have an unusable password; Django's form skips them, which
    would leave 3,000 servants no way in. The reset link is how they set their first password.
    """

    def get_users(self, email):
        user_model = get_user_model()
        return user_model._default_manager.filter(email__iexact=email.strip(), is_active=True).iterator()


class AdminLoginForm(LoginForm):
    """Wagtail's admin login form with a translated password label (Wagtail leaves it to Django's
    field-name default, "Password", which no catalog translates)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Пароль")
