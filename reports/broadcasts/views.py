"""«Рассылки» in the Wagtail admin (``reports/wagtail_hooks.py``): the list of mass messages sent, a new
message (choose → preview → send) and one message with its recipients and delivery.

Municipal and regional managers only (:func:`people.scope.manager_scope`), each within their scope:
the choice of recipients is narrowed to it, and a municipal manager sees the messages they sent
themselves (a regional manager sees all). Sending is POST with CSRF and refuses a list that changed
since the preview.
"""

import hashlib

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from people.broadcasts.models import Broadcast
from people.broadcasts.services import send_broadcast
from people.mail.models import OutgoingMail
from people.scope import manager_scope

from .forms import BroadcastForm

PREVIEW_SHOWN = 100
PER_PAGE = 100


def fingerprint(people):
    """A digest of the list of recipients: the send must go to the list that was previewed."""
    ids = ",".join(str(pk) for pk in people.order_by("pk").values_list("pk", flat=True))
    return hashlib.sha256(ids.encode()).hexdigest()


def visible_broadcasts(scope):
    broadcasts = Broadcast.objects.all()
    if not scope.everything:
        broadcasts = broadcasts.filter(author=scope.user)
    return broadcasts


class BroadcastPageMixin(WagtailAdminTemplateMixin):
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        self.scope = manager_scope(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        if self.get_page_title() != BroadcastListView.page_title:
            items.append({"url": reverse("reports_broadcasts"), "label": BroadcastListView.page_title})
        return [*items, {"url": "", "label": self.get_page_title()}]


class BroadcastListView(BroadcastPageMixin, TemplateView):
    template_name = "reports/broadcasts/index.html"
    page_title = gettext_lazy("Рассылки")

    def get_context_data(self, **kwargs):
        broadcasts = visible_broadcasts(self.scope).order_by("-created_at", "-pk")
        page = Paginator(broadcasts, PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, **kwargs)


class NewBroadcastView(BroadcastPageMixin, TemplateView):
    template_name = "reports/broadcasts/new.html"
    page_title = gettext_lazy("Новая рассылка")
    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=BroadcastForm(self.scope)))

    def post(self, request, *args, **kwargs):
        form = BroadcastForm(self.scope, request.POST)
        action = request.POST.get("action", "preview")
        if not form.is_valid() or action == "edit":
            return self.render_to_response(self.get_context_data(form=form))
        people = form.selection().people()
        digest = fingerprint(people)
        if action == "send":
            if request.POST.get("fingerprint") != digest:
                messages.warning(
                    request,
                    _("Список получателей изменился после предпросмотра. Проверьте его и отправьте ещё раз."),
                )
            elif not people.exists():
                messages.error(request, _("Получателей нет: измените условия отбора."))
            else:
                return self.send(form, people)
        return self.render_to_response(self.get_context_data(form=form, preview=self.preview(people, digest)))

    def preview(self, people, digest):
        count = people.count()
        with_email = people.exclude(email="").count()
        return {
            "count": count,
            "with_email": with_email,
            "without_email": count - with_email,
            "shown": list(people[:PREVIEW_SHOWN]),
            "fingerprint": digest,
        }

    def send(self, form, people):
        link_url, link_text = form.link()
        selection = form.selection()
        broadcast = send_broadcast(
            author=self.request.user,
            people=people,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            criteria=selection.criteria(),
            scope=self.scope.description(),
            link_url=link_url,
            link_text=link_text,
        )
        messages.success(
            self.request,
            _("Сообщение отправлено: получателей — %(count)s, писем — %(mailed)s.")
            % {"count": broadcast.recipient_count, "mailed": broadcast.mailed_count},
        )
        return redirect("reports_broadcast", broadcast.pk)


class BroadcastView(BroadcastPageMixin, TemplateView):
    template_name = "reports/broadcasts/detail.html"

    def get_page_title(self):
        return self.broadcast.subject

    def get(self, request, *args, pk, **kwargs):
        self.broadcast = visible_broadcasts(self.scope).filter(pk=pk).first()
        if self.broadcast is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        recipients = self.broadcast.recipients.select_related(
            "user__municipality", "user__organization", "mail"
        ).order_by("user__last_name", "user__first_name", "user__pk")
        Status = OutgoingMail.Status
        delivery = self.broadcast.recipients.aggregate(
            sent=Count("pk", filter=Q(mail__status=Status.SENT)),
            waiting=Count("pk", filter=Q(mail__status__in=[Status.WAITING, Status.SENDING])),
            failed=Count("pk", filter=Q(mail__status=Status.FAILED)),
            no_letter=Count("pk", filter=Q(mail__isnull=True)),
        )
        page = Paginator(recipients, PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(broadcast=self.broadcast, delivery=delivery, page=page, **kwargs)
