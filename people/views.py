from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.models import Site

from .cabinet import cabinet_sections
from .forms import AccountPasswordResetForm
from .privacy import rules
from .privacy.my_data import workbook_bytes
from .roles import Role, roles_of


def site_name_for(request):
    """The name of the Wagtail site that answers this request (the one shown in emails)."""
    site = Site.find_for_request(request)
    return (site and site.site_name) or settings.WAGTAIL_SITE_NAME


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view with the Wagtail site name in the email (there is no django.contrib.sites),
    open to accounts without a password yet (see :class:`AccountPasswordResetForm`)."""

    form_class = AccountPasswordResetForm

    def form_valid(self, form):
        self.extra_email_context = {
            **(self.extra_email_context or {}),
            "site_name": site_name_for(self.request),
        }
        return super().form_valid(form)


def lockout(request, original_response=None, credentials=None):
    """The page for a login refused by the lockout (AXES_LOCKOUT_CALLABLE): HTTP 429, in Russian."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return render(request, "people/lockout.html", {"minutes": minutes}, status=429)


@login_required
def cabinet(request):
    """Мой кабинет: the person's own profile and the sections other apps contribute."""
    person = request.user
    held = roles_of(person)
    return render(
        request,
        "people/cabinet.html",
        {
            "person": person,
            "roles": [role for role in Role if role in held],
            "can_use_admin": person.has_perm("wagtailadmin.access_admin"),
            "sections": cabinet_sections(request),
        },
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@never_cache
@login_required
def my_data(request):
    """«Мои данные»: everything the platform holds about the requesting person (and nobody else),
    as an XLSX workbook; never cached (offices share computers)."""
    response = HttpResponse(workbook_bytes(request.user), content_type=XLSX_TYPE)
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def privacy_notice(request):
    """Обработка персональных данных: what is processed, why, by whom, how long, and the person's
    rights; open to everybody (linked from the login page)."""
    return render(
        request,
        "people/privacy.html",
        {
            "retention": rules(),
            "operator_name": settings.PRIVACY_OPERATOR_NAME,
            "operator_address": settings.PRIVACY_OPERATOR_ADDRESS,
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "contact_phone": settings.PRIVACY_CONTACT_PHONE,
        },
    )
