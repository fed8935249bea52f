"""Invitation pages: the managers' pages in the Wagtail admin (registered in ``people/wagtail_hooks.py``)
and the two public pages where invited people set their password (``people/urls.py``).

Managers (municipal: their municipality with its settlements; regional: everything) see and invite
only people of their scope (:func:`people.scope.manager_scope`); anybody else gets 403, a person or
municipality outside the scope is "not found".
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..links import public_url
from ..personal_exports import PersonalExport, record_export
from ..scope import manager_scope
from ..spreadsheets import csv_bytes
from . import services
from .forms import CodeSetPasswordForm
from .tokens import invitation_tokens

PER_PAGE = 100
CODES_TITLE = gettext_lazy("Коды для создания пароля")
CODES_HEADER = (
    gettext_lazy("ФИО"),
    gettext_lazy("Организация"),
    gettext_lazy("Должность"),
    gettext_lazy("Логин"),
    gettext_lazy("Код"),
    gettext_lazy("Действует до"),
    gettext_lazy("Где ввести"),
)


class ManagerPageMixin(WagtailAdminTemplateMixin):
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        self.scope = manager_scope(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


def _bucket_or_404(scope, key):
    bucket = services.bucket_or_none(scope, key)
    if bucket is None:
        raise Http404
    return bucket


class InvitationsView(ManagerPageMixin, TemplateView):
    """Municipalities of the scope: how many people have set a password, how many wait, invited."""

    template_name = "people/invitations/index.html"
    page_title = gettext_lazy("Приглашения")

    def get_context_data(self, **kwargs):
        rows = services.buckets(self.scope)
        counts = services.bucket_counts(self.scope, rows)
        return super().get_context_data(
            rows=[(bucket, counts[bucket.key]) for bucket in rows],
            valid_days=services.valid_for().days,
            code_page=public_url(reverse("password_code")),
            **kwargs,
        )


class BucketView(ManagerPageMixin, TemplateView):
    """One municipality: its people who have not set a password yet (or everybody), with the last
    invitation of each and a button to send the letter again."""

    template_name = "people/invitations/bucket.html"

    def get_page_title(self):
        return self.bucket.label

    def dispatch(self, request, *args, **kwargs):
        self.scope = manager_scope(request.user)
        self.bucket = _bucket_or_404(self.scope, kwargs["bucket"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        show_all = self.request.GET.get("show") == "all"
        people = self.bucket.people(self.scope)
        if not show_all:
            people = services.not_activated(people)
        people = people.select_related("organization", "municipality").order_by(
            "organization__name", "last_name", "first_name", "patronymic", "pk"
        )
        page = Paginator(people, PER_PAGE).get_page(self.request.GET.get("page"))
        latest = services.last_invitations([person.pk for person in page])
        kwargs.update(
            bucket=self.bucket,  # the URL's key replaced by the bucket itself
            page=page,
            show_all=show_all,
            entries=[(person, latest.get(person.pk)) for person in page],
            counts=services.bucket_counts(self.scope, [self.bucket])[self.bucket.key],
        )
        return super().get_context_data(**kwargs)


def _back(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@method_decorator(require_http_methods(["POST"]), name="dispatch")
class SendBucketView(View):
    """Send the invitation letter to everybody of a municipality who has e-mail and no password."""

    def post(self, request, bucket):
        scope = manager_scope(request.user)
        bucket = _bucket_or_404(scope, bucket)
        with transaction.atomic():
            result = services.invite_by_email(bucket.people(scope), sent_by=request.user)
        if result.sent:
            messages.success(
                request,
                _("%(place)s: приглашений поставлено в очередь отправки — %(sent)s.")
                % {"place": bucket.label, "sent": result.sent},
            )
        else:
            messages.warning(request, _("%(place)s: некого приглашать по email.") % {"place": bucket.label})
        if result.without_email:
            messages.warning(
                request,
                _("Без email — %(count)s: для них распечатайте коды.") % {"count": result.without_email},
            )
        return _back(request, reverse("people_invitations_bucket", args=[bucket.key]))


@method_decorator(require_http_methods(["POST"]), name="dispatch")
class SendPersonView(View):
    """Send one person the invitation again (ahead of bulk mail)."""

    def post(self, request, pk):
        scope = manager_scope(request.user)
        person = scope.get_person_or_404(pk)
        try:
            with transaction.atomic():
                services.invite_person(person, sent_by=request.user)
        except services.InvitationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Приглашение для %(person)s поставлено в очередь отправки (%(email)s).")
                % {"person": person, "email": person.email},
            )
        return _back(request, reverse("people_invitations"))


@method_decorator(require_http_methods(["POST"]), name="dispatch")
@method_decorator(never_cache, name="dispatch")
class CodesView(View):
    """New one-time codes for people of a municipality who have no password (by default only those
    without e-mail): a page to print on A4, or the same list as a CSV file (entered in the audit log of
    personal data). Each issue replaces the codes issued before."""

    def post(self, request, bucket):
        scope = manager_scope(request.user)
        bucket = _bucket_or_404(scope, bucket)
        file_format = "csv" if request.POST.get("format") == "csv" else "html"
        everybody = request.POST.get("everybody") == "1"
        people = bucket.people(scope)
        if not everybody:
            people = people.filter(email="")
        with transaction.atomic():
            issued = services.issue_codes(people, issued_by=request.user)
            if not issued:
                transaction.set_rollback(True)
            elif file_format == "csv":
                record_export(
                    PersonalExport(
                        user=request.user,
                        key="invitation_codes",
                        title=CODES_TITLE,
                        format="csv",
                        scope=scope.description(),
                        period=_("на %(date)s") % {"date": timezone.localdate().strftime("%d.%m.%Y")},
                        params={
                            _("Муниципальное образование"): bucket.label,
                            _("Кому"): _("всем без пароля") if everybody else _("только без email"),
                        },
                        row_count=len(issued),
                    )
                )
        if not issued:
            messages.warning(
                request,
                _("%(place)s: некому выдавать коды — все, кому они нужны, уже задали пароль.")
                % {"place": bucket.label},
            )
            return redirect("people_invitations_bucket", bucket.key)
        code_page = public_url(reverse("password_code"))
        if file_format == "csv":
            rows = [
                (
                    item.person.get_full_name(),
                    item.person.organization.name if item.person.organization else "",
                    item.person.position,
                    item.person.get_username(),
                    item.code,
                    timezone.localtime(item.expires_at).date(),
                    code_page,
                )
                for item in issued
            ]
            response = HttpResponse(csv_bytes(CODES_HEADER, rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="codes-{bucket.key}-{timezone.localdate():%Y-%m-%d}.csv"'
            )
            return response
        return TemplateResponse(
            request,
            "people/invitations/codes_print.html",
            {
                "bucket": bucket,
                "issued": issued,
                "code_page": code_page,
                "login_page": public_url(reverse("login")),
                "expires_at": issued[0].expires_at,
                "back_url": reverse("people_invitations_bucket", args=[bucket.key]),
            },
        )


# --- public pages ------------------------------------------------------------------------------------


class InvitationConfirmView(auth_views.PasswordResetConfirmView):
    """The set-password link of an invitation letter: Django's reset page with the invitation's own
    tokens (valid ``INVITATION_VALID_DAYS`` days, once)."""

    token_generator = invitation_tokens
    template_name = "people/invitations/confirm.html"
    success_url = reverse_lazy("password_reset_complete")


@sensitive_post_parameters("code", "new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_code(request):
    """«Код из списка»: a person without e-mail sets their password with the one-time code the
    coordinator handed out. Wrong codes count against the login in the lockout like wrong passwords."""
    form = CodeSetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login = form.cleaned_data["login"]
        credentials = {"username": login}
        if AxesProxyHandler.is_locked(request, credentials):
            from ..views import lockout

            return lockout(request, credentials=credentials)
        invitation = services.find_code(login, form.cleaned_data["code"])
        if invitation is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error(
                None,
                _(
                    "Неверный логин или код, или срок действия кода истёк. Проверьте, как они написаны "
                    "в списке."
                ),
            )
        elif form.check_password_for(invitation.person):
            try:
                services.redeem_code(invitation, form.cleaned_data["new_password1"])
            except services.CodeAlreadyUsed as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("password_reset_complete")
    return render(request, "people/invitations/code.html", {"form": form}, status=200)
