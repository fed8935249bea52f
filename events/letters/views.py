"""Pages of letters to municipalities (``/letters/``).

Access is checked on every view (:mod:`.access`): a recipient sees only their own letters, a manager only
the letters and recipients of their scope; anything else is "not found", a manager's page for somebody
who is not a manager 403. Bad input is shown again with Russian errors and status 400; a refused change
(nobody to remind, a reminder too soon) is a Russian message.
"""

import datetime
import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.scope import manager_scope

from . import audit, services
from .access import get_for_manager_or_404, get_recipient_or_404, may_send
from .cabinet import received_by
from .figures import (
    acknowledgement_of,
    acknowledgement_table,
    letter_figures,
    letters_with_counts,
    recipient_status,
)
from .forms import LetterForm

PER_PAGE = 30
# The question bank's listing in the Wagtail admin (quizzes.wagtail_hooks.QuestionViewSet) filters by
# the legal norm with ``?legal_norm=`` (quizzes.admin_views.questions.QuestionFilterSet). Linked by URL
# name: ``events`` does not import ``quizzes`` here.
QUESTION_LISTING_URL_NAME = "quizzes_question:index"


def questions_citing_url(legal_norm):
    """The bank's questions citing ``legal_norm``, or "" when the admin listing is not installed."""
    if not legal_norm:
        return ""
    try:
        return reverse(QUESTION_LISTING_URL_NAME) + "?" + urlencode({"legal_norm": legal_norm})
    except NoReverseMatch:
        return ""


@login_required
@require_GET
def mine(request):
    page = Paginator(received_by(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "events/letters/mine.html", {"page_obj": page})


@login_required
@require_GET
def detail(request, pk):
    letter, recipient = get_recipient_or_404(request.user, pk)
    return render(
        request,
        "events/letters/detail.html",
        {"letter": letter, "recipient": recipient, "acknowledgement": acknowledgement_of(recipient)},
    )


@login_required
@require_POST
def acknowledge(request, pk):
    letter, _recipient = get_recipient_or_404(request.user, pk)
    _acknowledgement, created = services.acknowledge(request.user, letter)
    if created:
        messages.success(request, _("Спасибо: отмечено, что вы ознакомились с письмом."))
    else:
        messages.info(request, _("Вы уже отметили ознакомление с этим письмом."))
    return redirect("letters:detail", pk=letter.pk)


@login_required
@require_GET
def manage(request):
    scope = manager_scope(request.user)
    page = Paginator(letters_with_counts(scope), PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "events/letters/manage.html",
        {
            "page_obj": page,
            "scope_text": scope.description(),
            "may_send": may_send(request.user),
            "year": today.year,
            "figures": letter_figures(scope, datetime.date(today.year, 1, 1), today),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    manager_scope(request.user)
    if not may_send(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = LetterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                letter = services.send_letter(
                    request.user,
                    material=data["material"],
                    subject=data["subject"],
                    message=data["message"],
                    legal_norm=data["legal_norm"],
                    municipalities=data["municipalities"],
                    all_municipalities=data["all_municipalities"],
                )
            except services.LetterError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Письмо отправлено. Получателей: %(count)s; на почту: %(mailed)s.")
                    % {"count": letter.recipient_count, "mailed": letter.mailed_count},
                )
                return redirect("letters:status", pk=letter.pk)
        return render(request, "events/letters/new.html", {"form": form}, status=400)
    initial = {}
    material = request.GET.get("material", "")
    # ASCII digits that fit a bigint only: "²".isdigit() is true and a 30-digit id overflows the query.
    if re.fullmatch(r"[0-9]{1,18}", material) and services.letter_materials().filter(pk=material).exists():
        initial["material"] = int(material)
    return render(request, "events/letters/new.html", {"form": LetterForm(initial=initial)})


def _status_context(request, scope, letter):
    status = recipient_status(scope, letter)
    return {
        "letter": letter,
        "scope_text": scope.description(),
        "groups": status.groups,
        "table": acknowledgement_table(scope, letter),
        "total": status.total,
        "acknowledged": status.acknowledged,
        "waiting": status.waiting,
        "questions_url": questions_citing_url(letter.legal_norm),
        "interval_hours": int(services.reminder_interval().total_seconds() // 3600),
        "history": list(audit.entries_of(letter)[:20]),
        "municipalities": list(letter.municipalities.order_by("name")),
    }


@login_required
@require_GET
def status(request, pk):
    scope = manager_scope(request.user)
    letter = get_for_manager_or_404(scope, pk)
    return render(request, "events/letters/status.html", _status_context(request, scope, letter))


@login_required
@require_POST
def remind(request, pk):
    scope = manager_scope(request.user)
    letter = get_for_manager_or_404(scope, pk)
    try:
        reminder = services.remind(request.user, letter)
    except services.LetterError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Напоминание отправлено тем, кто ещё не ознакомился: %(count)s.") % {"count": reminder.count},
        )
    return redirect("letters:status", pk=letter.pk)
