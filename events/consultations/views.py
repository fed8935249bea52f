"""Pages of consultations (``/consultations/``).

Access is checked on every view (:mod:`.access`): a question the viewer may not see is "not found";
a manager's page for somebody who is not a manager is 403. A form with bad input is shown again with
its Russian errors and status 400; a refused change (closed question, wrong role) is a Russian message.
"""

import mimetypes
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.scope import manager_scope

from ..models import Consultation, ConsultationMessage
from . import audit, faq, services
from .access import ANSWERER, ASKER, OBSERVER, get_for_user_or_404, may_answer
from .figures import in_scope, overview, period_bounds
from .forms import AskForm, OverviewForm, PublishForm, ReplyForm

PER_PAGE = 30
INLINE_TYPES = {"application/pdf"}


@login_required
@require_GET
def mine(request):
    questions = Consultation.objects.filter(asker=request.user).select_related("topic")
    page = Paginator(questions, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "events/consultations/mine.html", {"page_obj": page, "today": timezone.localdate()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def ask(request):
    form = AskForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                consultation = services.ask(
                    request.user,
                    topic=form.cleaned_data["topic"],
                    subject=form.cleaned_data["subject"],
                    text=form.cleaned_data["text"],
                    attachment=form.cleaned_data.get("attachment"),
                )
            except services.ConsultationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Вопрос отправлен в уполномоченный орган. Ответ придёт на почту и появится "
                        "в «Моём кабинете»."
                    ),
                )
                return redirect(consultation.get_absolute_url())
        return render(request, "events/consultations/ask.html", {"form": form}, status=400)
    return render(request, "events/consultations/ask.html", {"form": form})


def _thread_context(request, consultation, role, reply_form=None):
    thread = list(
        ConsultationMessage.objects.filter(consultation=consultation)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    may_write = role in (ASKER, ANSWERER) and consultation.state != Consultation.State.CLOSED
    may_write = may_write and consultation.texts_erased_at is None
    return {
        "consultation": consultation,
        "thread": thread,
        "role": role,
        "is_asker": role == ASKER,
        "is_answerer": role == ANSWERER,
        "may_write": may_write,
        "may_close": role in (ASKER, ANSWERER) and consultation.state != Consultation.State.CLOSED,
        "may_publish": role == ANSWERER and consultation.has_answer and consultation.texts_erased_at is None,
        "reply_form": reply_form or ReplyForm(),
        "overdue": consultation.is_overdue(),
        "history": list(audit.entries_of(consultation)[:50]) if role in (ANSWERER, OBSERVER) else [],
    }


@login_required
@require_GET
def detail(request, pk):
    consultation, role = get_for_user_or_404(request.user, pk)
    if role in (ANSWERER, OBSERVER):
        audit.log(consultation, audit.VIEWED, request.user)
    return render(request, "events/consultations/detail.html", _thread_context(request, consultation, role))


@login_required
@require_POST
def reply(request, pk):
    consultation, role = get_for_user_or_404(request.user, pk)
    if role == OBSERVER:
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if not form.is_valid():
        context = _thread_context(request, consultation, role, reply_form=form)
        return render(request, "events/consultations/detail.html", context, status=400)
    try:
        services.reply(request.user, consultation, form.cleaned_data["text"])
    except services.ConsultationError as error:
        messages.error(request, error.message)
    else:
        if role == ANSWERER:
            messages.success(
                request, _("Ответ отправлен: спросивший получит письмо и уведомление в кабинете.")
            )
        else:
            messages.success(request, _("Уточнение отправлено в уполномоченный орган."))
    return redirect(consultation.get_absolute_url())


@login_required
@require_POST
def close(request, pk):
    consultation, role = get_for_user_or_404(request.user, pk)
    if role == OBSERVER:
        raise PermissionDenied
    try:
        services.close(request.user, consultation)
    except services.ConsultationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Вопрос закрыт."))
    return redirect(consultation.get_absolute_url())


@login_required
@require_GET
def attachment(request, pk):
    consultation, role = get_for_user_or_404(request.user, pk)
    if not consultation.attachment:
        raise Http404
    try:
        handle = consultation.attachment.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    if role in (ANSWERER, OBSERVER):
        audit.log(consultation, audit.ATTACHMENT_VIEWED, request.user)
    name = consultation.attachment_name or os.path.basename(consultation.attachment.name)
    content_type = mimetypes.guess_type(consultation.attachment.name)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=content_type not in INLINE_TYPES, filename=name, content_type=content_type
    )
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk):
    if not may_answer(request.user):
        raise PermissionDenied
    consultation, _role = get_for_user_or_404(request.user, pk)
    if consultation.texts_erased_at is not None or not consultation.has_answer:
        messages.error(request, _("Опубликовать можно только вопрос, на который дан ответ."))
        return redirect(consultation.get_absolute_url())
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                page = faq.publish(request.user, consultation, **form.cleaned_data)
            except services.ConsultationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Вопрос и ответ опубликованы в библиотеке материалов."))
                return redirect(page.url or consultation.get_absolute_url())
        status = 400
    else:
        form = PublishForm(initial=faq.draft(consultation))
        status = 200
    text = " ".join(str(form[name].value() or "") for name in ("title", "question", "answer"))
    context = {
        "consultation": consultation,
        "form": form,
        "mentions": faq.mentions_asker(text, consultation),
    }
    return render(request, "events/consultations/publish.html", context, status=status)


OPEN_SHOWN = 200


@login_required
@require_GET
def manage(request):
    scope = manager_scope(request.user)
    form = OverviewForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else OverviewForm.defaults()
    today = timezone.localdate()
    questions = in_scope(scope).select_related("topic", "municipality")
    open_questions = list(questions.open().order_by("due_on", "created_at")[:OPEN_SHOWN])
    listed = questions.asked_between(*period_bounds(data["start"], data["end"]))
    if data.get("topic"):
        listed = listed.filter(topic=data["topic"])
    state = data.get("state")
    if state == "overdue":
        listed = listed.overdue(today)
    elif state:
        listed = listed.filter(state=state)
    page = Paginator(listed.order_by("-created_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "scope_text": scope.description(),
        "open_questions": open_questions,
        "open_count": questions.open().count(),  # the list shows the first OPEN_SHOWN only
        "overdue_count": questions.overdue(today).count(),
        "figures": overview(
            scope, data["start"], data["end"], today, _("Областные органы и без муниципального образования")
        ),
        "period": data,
        "page_obj": page,
        "query": query.urlencode(),
        "today": today,
        "may_answer": may_answer(request.user),
        "working_days": services.working_days(),
    }
    return render(request, "events/consultations/manage.html", context, status=200 if valid else 400)
