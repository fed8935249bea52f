from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

from . import directory
from .links import public_url
from .mail import enqueue
from .mail.kinds import PASSWORD_RESET


class AccountPasswordResetForm(PasswordResetForm):
    """Password reset that also reaches people who never had a password.

    Accounts made by the roster import have an unusable password; Django's form skips them, which
    would leave 3,000 servants no way in. The reset link is how they set their first password.
    """

    def get_users(self, email):
        user_model = get_user_model()
        people = user_model._default_manager.filter(email__iexact=email.strip(), is_active=True)
        if directory.enabled():
            people = people.filter(directory_dn="")  # their password is the directory's, not ours
        return people.iterator()

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Into the outbox, ahead of bulk mail; the link starts with the public address (``site_url``),
        not with whatever host the request named."""
        context = {**context, "site_url": public_url("/").rstrip("/")}
        subject = " ".join(loader.render_to_string(subject_template_name, context).split())
        body = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else ""
        enqueue(
            to=to_email,
            subject=subject,
            body=body,
            html=html,
            kind=PASSWORD_RESET,
            person=context.get("user"),
            from_email=from_email or "",
        )


DIRECTORY_UNAVAILABLE = _(
    "Не удалось проверить пароль учётной записи организации: служба каталога (Active Directory) сейчас "
    "недоступна. Попробуйте войти позже. Если вы входите с паролем этого сайта, проверьте логин и пароль."
)


class DirectoryAwareLoginMixin:
    """A failed login while the directory did not answer says so, instead of «wrong password»
    (:func:`people.directory.note_unavailable` marks the request)."""

    def get_invalid_login_error(self):
        if directory.was_unavailable(self.request):
            return ValidationError(DIRECTORY_UNAVAILABLE, code="directory_unavailable")
        return super().get_invalid_login_error()

    @property
    def directory_sign_in(self):
        """Directory sign-in is on: the login page tells people which password to use."""
        return directory.enabled()


class SiteLoginForm(DirectoryAwareLoginMixin, AuthenticationForm):
    """The site's login form (/login/)."""


class DjangoAdminLoginForm(DirectoryAwareLoginMixin, AdminAuthenticationForm):
    """The Django admin's login form (/django-admin/login/)."""


class AdminLoginForm(DirectoryAwareLoginMixin, LoginForm):
    """Wagtail's admin login form with a translated password label (Wagtail leaves it to Django's
    field-name default, "Password", which no catalog translates)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Пароль")
