"""«Почта»: the managers' view of the outbox in the Wagtail admin (``people/wagtail_hooks.py``).

A regional manager sees every message; a municipal manager only those to people of their scope
(mail to nobody's account — the admin's notifications — is the regional managers'). Each sees how
many messages of each kind were sent, failed and are waiting, the failed ones with the error, and
may put the failed ones back in the queue.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..scope import manager_scope
from .kinds import kind_label, registered_kinds
from .models import OutgoingMail
from .services import counts_by_kind, retry_failed

FAILED_SHOWN = 200
Status = OutgoingMail.Status


def scoped_mail(scope):
    if scope.everything:
        return OutgoingMail.objects.all()
    return scope.filter(OutgoingMail.objects.all(), "person__municipality")


class MailQueueView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "people/mail/queue.html"
    page_title = gettext_lazy("Почта")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        self.scope = manager_scope(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        mail = scoped_mail(self.scope)
        counts = counts_by_kind(mail)
        known = [kind.code for kind in registered_kinds()]
        codes = known + sorted(code for code in counts if code not in known)
        empty = {Status.WAITING: 0, Status.SENT: 0, Status.FAILED: 0}
        rows = [(code, kind_label(code), counts.get(code, empty)) for code in codes]
        totals = {status: sum(row[2][status] for row in rows) for status in empty}
        failed = (
            mail.filter(status=Status.FAILED).select_related("person").order_by("-last_attempt_at", "-pk")
        )
        return super().get_context_data(
            rows=rows,
            totals=totals,
            failed=[(entry, kind_label(entry.kind)) for entry in failed[:FAILED_SHOWN]],
            failed_shown=FAILED_SHOWN,
            rate=settings.MAIL_RATE_PER_MINUTE,
            max_attempts=settings.MAIL_MAX_ATTEMPTS,
            **kwargs,
        )


@method_decorator(require_http_methods(["POST"]), name="dispatch")
class RetryFailedView(View):
    """Put the failed messages (of one kind, or all) of the manager's scope back in the queue."""

    def post(self, request):
        scope = manager_scope(request.user)
        mail = scoped_mail(scope)
        kind = request.POST.get("kind", "")
        if kind:
            mail = mail.filter(kind=kind[:64])
        count = retry_failed(mail)
        if count:
            messages.success(request, _("Снова в очереди писем: %(count)s.") % {"count": count})
        else:
            messages.warning(request, _("Неотправленных писем нет."))
        return redirect("people_mail")
