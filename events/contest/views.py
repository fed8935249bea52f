"""Pages of the students' contest (``/contest/``): the public page, contestants' registration, sign-in
and works, the jury's scoring and the organizers' submissions, ranking and winners.

Every view checks access (:mod:`.access`); bad input is shown again with Russian errors and status 400;
files go only to their owner, the jury (works) and organizers."""

import os

from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.personal_exports import PersonalExport, record_export
from people.spreadsheets import csv_bytes

from ..models import Contest, Contestant
from . import access, audit, services
from .forms import EntryActionForm, JuryForm, PlaceForm, RegistrationForm, ScoreForm, SignInForm, WorkForm

INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "video/mp4", "video/webm"}


def _context(request, contest, **extra):
    user = request.user
    return {
        "contest": contest,
        "contestant": access.current_contestant(request),
        "is_juror": access.is_contest_juror(user, contest),
        "is_organizer": access.is_organizer(user),
        **extra,
    }


@require_GET
def index(request):
    contests = Contest.objects.all()
    return render(request, "events/contest/index.html", {"contests": contests})


@require_GET
def detail(request, pk):
    contest = access.contest_or_404(pk)
    context = _context(
        request,
        contest,
        winners=services.winners(contest),
        submissions_open=contest.submissions_open(),
    )
    return render(request, "events/contest/detail.html", context)


@require_http_methods(["GET", "POST"])
def register(request, pk):
    contest = access.contest_or_404(pk)
    if contest.submissions_close_at <= timezone.now():
        messages.error(request, _("Регистрация закрыта: приём работ завершён."))
        return redirect(contest.get_absolute_url())
    form = RegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("personal_data")
            try:
                services.register(contest, **data)
            except services.ContestError as error:
                form.add_error(None, error.message)
            else:
                return render(request, "events/contest/registered.html", _context(request, contest))
        return render(
            request, "events/contest/register.html", _context(request, contest, form=form), status=400
        )
    return render(request, "events/contest/register.html", _context(request, contest, form=form))


@require_GET
def confirm(request, token):
    try:
        contestant = services.confirm(token)
    except services.ContestError as error:
        return render(request, "events/contest/confirm_failed.html", {"message": error.message}, status=400)
    access.sign_in(request, contestant)
    messages.success(request, _("Адрес подтверждён. Теперь вы можете подать работу."))
    return redirect("contest:mine", pk=contestant.contest_id)


@require_http_methods(["GET", "POST"])
def sign_in(request, pk):
    contest = access.contest_or_404(pk)
    form = SignInForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                contestant = services.authenticate(
                    contest, form.cleaned_data["email"], form.cleaned_data["password"]
                )
            except services.ContestError as error:
                form.add_error(None, str(error))
            else:
                if contestant is not None:
                    access.sign_in(request, contestant)
                    return redirect("contest:mine", pk=contest.pk)
                form.add_error(None, _("Неверный адрес электронной почты или пароль."))
        return render(
            request, "events/contest/sign_in.html", _context(request, contest, form=form), status=400
        )
    return render(request, "events/contest/sign_in.html", _context(request, contest, form=form))


@require_POST
def sign_out(request):
    access.sign_out(request)
    return redirect("contest:index")


@require_http_methods(["GET", "POST"])
def mine(request, pk):
    contest = access.contest_or_404(pk)
    contestant, go = access.contestant_for(request, contest)
    if go:
        return go
    form = WorkForm(contest, request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_work(
                    contestant,
                    nomination=form.cleaned_data["nomination"],
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data["file"],
                    file_type=form.file_type,
                )
            except services.ContestError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Работа принята. До окончания приёма её можно заменить."))
                return redirect("contest:mine", pk=contest.pk)
        status = 400
    works = contestant.works.select_related("nomination", "age_group")
    context = _context(
        request,
        contest,
        form=form,
        works=works,
        submissions_open=contest.submissions_open(),
        age_group=services.age_group_for(contestant),
    )
    return render(request, "events/contest/mine.html", context, status=status)


def _file_response(field, name, content_type):
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=content_type not in INLINE_TYPES, filename=name, content_type=content_type
    )
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def work_file(request, pk):
    work = access.work_or_404(pk)
    if not work.file or not access.may_download_work(request, work):
        raise Http404
    name = work.file_name or os.path.basename(work.file.name)
    if not access.is_organizer(request.user) and access.is_contest_juror(request.user, work.contest):
        name = work.code + os.path.splitext(name)[1]  # the juror sees no contestant's file name
    elif access.is_organizer(request.user):
        audit.log(work.contest, audit.DOWNLOADED, request.user, {"work": work.code})
    return _file_response(work.file, name, work.file_type or "application/octet-stream")


@require_GET
def consent_file(request, pk):
    try:
        contestant = Contestant.objects.select_related("contest").get(pk=pk)
    except (Contestant.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not contestant.consent_file or not access.may_download_consent(request, contestant):
        raise Http404
    if access.is_organizer(request.user):
        audit.log(contestant.contest, audit.DOWNLOADED, request.user, {"consent": contestant.pk})
    extension = os.path.splitext(contestant.consent_file.name)[1].lower().lstrip(".")
    from .uploads import CONSENT_TYPES

    content_type = CONSENT_TYPES.get(extension, "application/octet-stream")
    return _file_response(contestant.consent_file, f"soglasie-{contestant.pk}.{extension}", content_type)


# --- the jury ------------------------------------------------------------------------------------


@require_GET
def jury(request, pk):
    if go := access.require_juror(request):
        return go
    contest = access.contest_or_404(pk)
    if go := access.require_contest_juror(request, contest):
        return go
    works = list(
        contest.works.exclude(file="")
        .select_related("nomination", "age_group")
        .order_by("nomination__position", "code")
    )
    mine = {
        sheet.work_id: sheet
        for sheet in request.user.contest_sheets.filter(work__contest=contest).prefetch_related("scores")
    }
    rows = [{"work": work, "sheet": mine.get(work.pk)} for work in works]
    context = _context(request, contest, rows=rows, judging_open=contest.judging_open())
    return render(request, "events/contest/jury.html", context)


@require_http_methods(["GET", "POST"])
def score(request, pk):
    if go := access.require_juror(request):
        return go
    work = access.work_or_404(pk)
    contest = work.contest
    if go := access.require_contest_juror(request, contest):
        return go
    if not work.file:  # hidden from the jury list: nothing to score (the service refuses it too)
        raise Http404
    criteria = contest.criteria.all()
    sheet = services.sheet_of(request.user, work)
    initial = {}
    if sheet:
        initial = {f"criterion_{s.criterion_id}": s.points for s in sheet.scores.all()}
        initial["comment"] = sheet.comment
    form = ScoreForm(criteria, request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.score(request.user, work, form.points(), comment=form.cleaned_data["comment"])
            except services.ContestError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Оценки работы %(code)s сохранены.") % {"code": work.code})
                return redirect("contest:jury", pk=contest.pk)
        status = 400
    context = _context(request, contest, work=work, form=form, judging_open=contest.judging_open())
    return render(request, "events/contest/score.html", context, status=status)


# --- organizers ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def manage(request, pk):
    """The organizers' page: the ranking, places and publication, the contestants (deleting an
    unconfirmed entry, resending the confirmation letter) and the contest's jury list. Every POST here
    is an organizer's action written to the contest's log."""
    if go := access.require_organizer(request):
        return go
    contest = access.contest_or_404(pk)
    jury_form = JuryForm(contest, initial={"jurors": list(contest.jurors.all())})
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "jury":
            jury_form = JuryForm(contest, request.POST)
            if jury_form.is_valid():
                try:
                    changed = services.set_jurors(request.user, contest, jury_form.cleaned_data["jurors"])
                except services.ContestError as error:
                    jury_form.add_error(None, error.message)
                else:
                    if changed:
                        messages.success(request, _("Состав жюри сохранён."))
                    else:
                        messages.info(request, _("Состав жюри не изменился."))
                    return redirect("contest:manage", pk=contest.pk)
            status = 400
        else:
            return _entry_action(request, contest)
    today = timezone.localdate()
    contestants = list(
        contest.contestants.filter(data_erased_at=None).order_by("last_name", "first_name", "pk")
    )
    for person in contestants:
        person.minor = person.is_minor(today)
        person.consent_ok = person.parent_consent and bool(person.consent_file)
    sheets = dict(
        contest.jurors.annotate(
            sheets=Count("contest_sheets", filter=Q(contest_sheets__work__contest=contest))
        ).values_list("pk", "sheets")
    )
    context = _context(
        request,
        contest,
        contestants=contestants,
        confirmed_count=sum(1 for person in contestants if person.email_confirmed_at),
        ranking=services.ranking(contest),
        judging_over=contest.judging_over(),
        jury_form=jury_form,
        jurors=[(juror, sheets.get(juror.pk, 0)) for juror in contest.jurors.order_by("last_name", "pk")],
        history=list(audit.entries_of(contest)[:30]),
    )
    return render(request, "events/contest/manage.html", context, status=status)


def _entry_action(request, contest):
    form = EntryActionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            _("Неверный запрос: не указано действие или участник."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    contestant = Contestant.objects.filter(
        pk=form.cleaned_data["contestant"], contest=contest, data_erased_at=None
    ).first()
    if contestant is None:
        raise Http404
    name = contestant.full_name or contestant.email
    try:
        if form.cleaned_data["action"] == "delete":
            services.delete_unconfirmed(request.user, contestant)
            messages.success(request, _("Запись участника «%(name)s» удалена.") % {"name": name})
        else:
            services.resend_confirmation(request.user, contestant)
            messages.success(
                request,
                _("Участнику «%(name)s» отправлено новое письмо для подтверждения адреса.") % {"name": name},
            )
    except services.ContestError as error:
        messages.error(request, error.message)
    return redirect(reverse("contest:manage", args=[contest.pk]) + "#contestants-title")


@require_POST
def set_place(request, pk):
    if go := access.require_organizer(request):
        return go
    work = access.work_or_404(pk)
    form = PlaceForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            _("Место — 1, 2, 3 или «нет»."), status=400, content_type="text/plain; charset=utf-8"
        )
    try:
        services.set_place(request.user, work, form.cleaned_data["place"])
    except services.ContestError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Место работы %(code)s сохранено.") % {"code": work.code})
    return redirect("contest:manage", pk=work.contest_id)


@require_POST
def publish(request, pk):
    if go := access.require_organizer(request):
        return go
    contest = access.contest_or_404(pk)
    try:
        services.publish(request.user, contest)
    except services.ContestError as error:
        messages.error(request, error.message)
        return redirect("contest:manage", pk=contest.pk)
    messages.success(request, _("Итоги опубликованы на странице конкурса."))
    return redirect(contest.get_absolute_url())


@require_GET
def export(request, pk):
    if go := access.require_organizer(request):
        return go
    contest = access.contest_or_404(pk)
    works = contest.works.select_related("contestant", "nomination", "age_group").order_by("code")
    header = [
        _("Шифр"),
        _("Номинация"),
        _("Возрастная группа"),
        _("Название работы"),
        _("Участник"),
        _("Электронная почта"),
        _("Образовательная организация"),
        _("Место"),
    ]
    rows = [
        [
            work.code,
            work.nomination.title,
            work.age_group.title,
            work.title,
            work.contestant.full_name,
            work.contestant.email,
            work.contestant.institution,
            work.place,
        ]
        for work in works
    ]
    title = _("Работы конкурса «%(title)s»") % {"title": contest.title}
    record_export(
        PersonalExport(
            user=request.user,
            key="contest_works",
            title=title,
            format="csv",
            scope=_("Конкурс студентов: все участники"),
            period=str(contest.year),
            params={_("Конкурс"): str(contest)},
            row_count=len(rows),
        )
    )
    audit.log(contest, audit.EXPORTED, request.user, {"rows": len(rows)})
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contest-{contest.pk}-works.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
