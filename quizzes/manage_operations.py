"""Manager pages of the operations on one person's test: a person's page in a campaign (extra time, an
extra attempt), the staff view of one attempt (what was asked and answered, when, the key and the
points; the reset of an attempt lost to a power cut, the changed points of one answer on appeal), and
the regrade of a campaign after a key fix.

Access, on every view: municipal and regional managers (anybody else 403, as on every page of
/manage/tests/); the campaign must be one the manager sees and the person one of the campaign's people
in the manager's scope, else "not found"; a manager gets no operation on their own test (403); the
regrade is for regional managers only (403). The views pick objects and read forms; the operations are
in :mod:`quizzes.services.operations` and :mod:`quizzes.services.regrade`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from people.models import User

from . import analytics
from .answerable import answerable_question_ids
from .api.review import answer_text, correct_answer_text
from .contexts import campaign_context
from .exceptions import InvalidOperation, OperationRefused
from .manage_forms import ExtraTimeForm, OverrideForm, ReasonForm, RegradeForm
from .manage_views import _campaign_context, manager_scope
from .models import ExtraTime, PersonOperation, Question, Sitting
from .models.questions import snapshot_html
from .scoring import ZERO, quantize_score
from .services import operations, regrade

MAX_ID = 2**63 - 1  # a larger id in a path is "not found", not an overflow in the database driver


def _id_or_404(value):
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1 <= value <= MAX_ID:
        raise Http404
    return value


def _campaign_or_404(scope, pk):
    return analytics.get_campaign_or_404(scope, _id_or_404(pk))


def _person_or_404(scope, campaign, person_pk):
    """One of the campaign's people (expected, or with a sitting of it) in the scope, with their figures."""
    person = analytics.participants(campaign, scope).filter(pk=_id_or_404(person_pk)).first()
    if person is None:
        raise Http404
    person.state = analytics.state_of(person)
    return person


def _sitting_or_404(scope, campaign, sitting_pk):
    sittings = scope.filter(Sitting.objects.filter(campaign=campaign), "user__municipality")
    sitting = (
        sittings.select_related("user__organization", "user__municipality", "quiz", "campaign")
        .filter(pk=_id_or_404(sitting_pk))
        .first()
    )
    if sitting is None:
        raise Http404
    return sitting


def _may_operate_on(request, person):
    return operations.may_operate(request.user) and request.user.pk != person.pk


def _refuse_own(request, person):
    if request.user.pk == person.pk:
        raise PermissionDenied(_("Изменять свои собственные результаты нельзя."))


def _status_of(error):
    return 400 if isinstance(error, InvalidOperation) else 409


def _apply_error(form, error):
    """A refusal of the service shown on its form: which field it is about, when that is clear."""
    field = "points" if isinstance(error, InvalidOperation) and "points" in form.fields else None
    form.add_error(field, error.message)


# --- a person's page in a campaign ---------------------------------------------------------------------


def _person_page(request, scope, campaign, person, *, time_form=None, attempt_form=None, status=200):
    now = timezone.now()
    extra = ExtraTime.objects.filter(campaign=campaign, user=person).first()
    sittings = list(Sitting.objects.filter(campaign=campaign, user=person).order_by("number", "pk"))
    counted = Sitting.objects.result_for(person, campaign.quiz, campaign_context(campaign.pk))
    history = (
        PersonOperation.objects.filter(person=person, campaign=campaign)
        .select_related("sitting", "question")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "quizzes/manage/person.html",
        {
            **_campaign_context(scope, campaign, "people"),
            "person": person,
            "attempts": operations.attempts_of(person, campaign),
            "extra_minutes": extra.minutes if extra else 0,
            "sittings": sittings,
            "counted": counted,
            "history": history,
            "is_closed": campaign.has_closed(now),
            "may_operate": _may_operate_on(request, person),
            "time_form": time_form
            or ExtraTimeForm(prefix="time", initial={"minutes": extra.minutes if extra else 0}),
            "attempt_form": attempt_form or ReasonForm(prefix="attempt"),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def person(request, pk, person_pk):
    scope = manager_scope(request)
    campaign = _campaign_or_404(scope, pk)
    return _person_page(request, scope, campaign, _person_or_404(scope, campaign, person_pk))


@login_required
@require_POST
def person_extra_time(request, pk, person_pk):
    scope = manager_scope(request)
    campaign = _campaign_or_404(scope, pk)
    person = _person_or_404(scope, campaign, person_pk)
    _refuse_own(request, person)
    form = ExtraTimeForm(request.POST, prefix="time")
    if not form.is_valid():
        return _person_page(request, scope, campaign, person, time_form=form, status=400)
    minutes = form.cleaned_data["minutes"]
    try:
        operations.grant_extra_time(request.user, campaign, person, minutes, form.cleaned_data["reason"])
    except OperationRefused as error:
        _apply_error(form, error)
        return _person_page(request, scope, campaign, person, time_form=form, status=_status_of(error))
    if minutes:
        messages.success(
            request, _("Дополнительное время назначено: %(minutes)s мин.") % {"minutes": minutes}
        )
    else:
        messages.success(request, _("Дополнительное время отменено."))
    return redirect("quizzes_manage:person", campaign.pk, person.pk)


@login_required
@require_POST
def person_extra_attempt(request, pk, person_pk):
    scope = manager_scope(request)
    campaign = _campaign_or_404(scope, pk)
    person = _person_or_404(scope, campaign, person_pk)
    _refuse_own(request, person)
    form = ReasonForm(request.POST, prefix="attempt")
    if not form.is_valid():
        return _person_page(request, scope, campaign, person, attempt_form=form, status=400)
    try:
        operations.grant_extra_attempt(request.user, campaign, person, form.cleaned_data["reason"])
    except OperationRefused as error:
        _apply_error(form, error)
        return _person_page(request, scope, campaign, person, attempt_form=form, status=_status_of(error))
    messages.success(request, _("Дополнительная попытка дана."))
    return redirect("quizzes_manage:person", campaign.pk, person.pk)


# --- one attempt: the staff view, the reset and the appeal ---------------------------------------------


def _options(snapshot, answer, show_key):
    """The options of a choice question as drawn, each with whether it was chosen and is correct."""
    if snapshot["type"] not in ("single", "multiple"):
        return []
    chosen = set()
    if isinstance(answer, dict):
        chosen = (
            {str(answer["choice"])} if "choice" in answer else {str(pk) for pk in answer.get("choices") or []}
        )
    correct = {str(pk) for pk in snapshot["key"].get("correct", [])}
    return [
        {
            "text": option["text"],
            "html": snapshot_html(snapshot, option["text"]),
            "chosen": str(option["id"]) in chosen,
            "correct": show_key and str(option["id"]) in correct,
        }
        for option in snapshot["options"]
    ]


def sitting_items(sitting, viewer, override_forms=None):
    """Every question of the sitting as drawn, with the answer, when it was saved, the key and the points.

    The key of a question the viewer could still answer themselves in an assessed context (a manager
    in a campaign's audience, :mod:`quizzes.answerable`) is withheld, as in any review."""
    override_forms = override_forms or {}
    responses = {response.question_id: response for response in sitting.responses.all()}
    overridden = operations.overridden_question_ids(sitting)
    live = answerable_question_ids(viewer)
    items = []
    for number, snapshot in enumerate(sitting.questions(), start=1):
        response = responses.get(snapshot["id"])
        answer = response.answer if response else None
        fraction = response.fraction if response else ZERO
        points = quantize_score(snapshot["points"])
        show_key = snapshot["id"] not in live
        items.append(
            {
                "number": number,
                "id": snapshot["id"],
                "type": snapshot["type"],
                "text": snapshot["text"],
                "html": snapshot_html(snapshot),
                "unit": snapshot.get("unit", ""),
                "options": _options(snapshot, answer, show_key),
                "answer_text": answer_text(snapshot, answer),
                "answered": answer is not None,
                "saved_at": response.saved_at if response and answer is not None else None,
                "key_withheld": not show_key,
                "correct_text": correct_answer_text(snapshot) if show_key else "",
                "explanation": snapshot.get("explanation", "") if show_key else "",
                "legal_norm": snapshot.get("legal_norm", ""),
                "points": points,
                "earned": None if fraction is None else quantize_score(points * fraction),
                "needs_grading": response is not None and response.needs_grading,
                "grader_comment": response.grader_comment if response else "",
                "overridden": snapshot["id"] in overridden,
                "form": override_forms.get(snapshot["id"])
                or OverrideForm(
                    prefix=f"q{snapshot['id']}",
                    initial={"points": "" if fraction is None else operations.number_text(points * fraction)},
                ),
            }
        )
    return items


def _sitting_page(request, scope, campaign, sitting, *, reset_form=None, override_forms=None, status=200):
    now = timezone.now()
    may_operate = _may_operate_on(request, sitting.user)
    return render(
        request,
        "quizzes/manage/sitting.html",
        {
            **_campaign_context(scope, campaign, "people"),
            "sitting": sitting,
            "person": sitting.user,
            "items": sitting_items(sitting, request.user, override_forms),
            "history": PersonOperation.objects.filter(sitting=sitting)
            .select_related("question")
            .order_by("-created_at", "-pk"),
            "is_closed": campaign.has_closed(now),
            "may_operate": may_operate,
            "may_override": may_operate
            and sitting.state in (Sitting.State.FINISHED, Sitting.State.NEEDS_GRADING),
            "may_reset": may_operate and not sitting.is_void and not campaign.has_closed(now),
            "reset_form": reset_form or ReasonForm(prefix="reset"),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def sitting(request, pk, sitting_pk):
    scope = manager_scope(request)
    campaign = _campaign_or_404(scope, pk)
    return _sitting_page(request, scope, campaign, _sitting_or_404(scope, campaign, sitting_pk))


@login_required
@require_POST
def sitting_reset(request, pk, sitting_pk):
    scope = manager_scope(request)
    campaign = _campaign_or_404(scope, pk)
    found = _sitting_or_404(scope, campaign, sitting_pk)
    _refuse_own(request, found.user)
    form = ReasonForm(request.POST, prefix="reset")
    if not form.is_valid():
        return _sitting_page(request, scope, campaign, found, reset_form=form, status=400)
    try:
        operations.void_sitting(request.user, found, form.cleaned_data["reason"])
    except OperationRefused as error:
        _apply_error(form, error)
        return _sitting_page(request, scope, campaign, found, reset_form=form, status=_status_of(error))
    messages.success(
        request,
        _("Попытка %(number)s аннулирована: она не засчитывается, и тестирование можно пройти заново.")
        % {"number": found.number},
    )
    return redirect("quizzes_manage:person", campaign.pk, found.user_id)


@login_required
@require_POST
def answer_override(request, pk, sitting_pk, question_pk):
    scope = manager_scope(request)
    campaign = _campaign_or_404(scope, pk)
    found = _sitting_or_404(scope, campaign, sitting_pk)
    _refuse_own(request, found.user)
    question_id = _id_or_404(question_pk)
    if found.question_snapshot(question_id) is None:
        raise Http404
    form = OverrideForm(request.POST, prefix=f"q{question_id}")
    if not form.is_valid():
        return _sitting_page(request, scope, campaign, found, override_forms={question_id: form}, status=400)
    try:
        operations.override_points(
            request.user, found, question_id, form.cleaned_data["points"], form.cleaned_data["reason"]
        )
    except OperationRefused as error:
        _apply_error(form, error)
        return _sitting_page(
            request, scope, campaign, found, override_forms={question_id: form}, status=_status_of(error)
        )
    found.refresh_from_db()
    if found.percent is None:
        messages.success(request, _("Баллы за ответ изменены. Попытка ещё ожидает проверки других ответов."))
    else:
        messages.success(
            request,
            _("Баллы за ответ изменены. Результат попытки: %(percent)s%%, %(passed)s.")
            % {
                "percent": operations.number_text(found.percent),
                "passed": _("тест сдан") if found.passed else _("тест не сдан"),
            },
        )
    return redirect(
        reverse("quizzes_manage:sitting", args=[campaign.pk, found.pk]) + f"#question-{question_id}"
    )


# --- the regrade of a campaign after a key fix ------------------------------------------------------------


def _regrade_scope(request):
    scope = manager_scope(request)
    if not operations.may_regrade(request.user):
        raise PermissionDenied(
            _("Пересчёт результатов после исправления ключа выполняет региональный менеджер.")
        )
    return scope


def _question_or_404(campaign, value):
    question_id = _id_or_404(value)
    if question_id not in regrade.campaign_question_ids(campaign):
        raise Http404
    return Question.objects.non_polymorphic().select_related("category").get(pk=question_id)


def _with_people(plan):
    """Put the person on every row of the plan (one query)."""
    rows = [*plan.changes, *plan.key_only, *plan.overridden, *plan.unregradable]
    people = User.objects.in_bulk({row.user_id for row in rows})
    for row in rows:
        row.person = people.get(row.user_id)
    return plan


def _regrade_page(request, scope, campaign, question=None, *, form=None, status=200):
    plan = error = None
    if question is not None:
        try:
            plan = _with_people(regrade.plan_regrade(campaign, question))
        except OperationRefused as refused:
            error = refused.message
    if plan is not None and form is None:
        form = RegradeForm(initial={"token": plan.token})
    history = (
        PersonOperation.objects.filter(campaign=campaign, kind=PersonOperation.Kind.REGRADE)
        .select_related("question", "person", "sitting")
        .order_by("-created_at", "-pk")[:200]
    )
    return render(
        request,
        "quizzes/manage/regrade.html",
        {
            **_campaign_context(scope, campaign, "regrade"),
            "candidates": regrade.regrade_candidates(campaign),
            "question": question,
            "plan": plan,
            "plan_error": error,
            "form": form,
            "history": history,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_regrade(request, pk):
    """GET: the questions edited since the campaign began, and the dry run of one (``?question=``).
    POST: apply the dry run the manager saw."""
    scope = _regrade_scope(request)
    campaign = _campaign_or_404(scope, pk)
    value = request.POST.get("question") if request.method == "POST" else request.GET.get("question")
    question = None if value in (None, "") else _question_or_404(campaign, value)
    if request.method != "POST":
        return _regrade_page(request, scope, campaign, question)
    if question is None:
        messages.error(request, _("Выберите вопрос, ключ которого исправлен."))
        return _regrade_page(request, scope, campaign, status=400)
    form = RegradeForm(request.POST)
    if not form.is_valid():
        return _regrade_page(request, scope, campaign, question, form=form, status=400)
    try:
        plan = regrade.apply_regrade(
            request.user, campaign, question, form.cleaned_data["reason"], form.cleaned_data["token"]
        )
    except OperationRefused as error:
        messages.error(request, error.message)
        return _regrade_page(request, scope, campaign, question, status=_status_of(error))
    messages.success(
        request,
        _(
            "Пересчёт применён. Попыток с изменёнными баллами: %(changed)s; попыток, где исправлен только "
            "сохранённый ключ: %(key_only)s."
        )
        % {"changed": len(plan.changes), "key_only": len(plan.key_only)},
    )
    return redirect(reverse("quizzes_manage:regrade", args=[campaign.pk]) + f"?question={question.pk}")
