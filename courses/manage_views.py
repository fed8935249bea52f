"""Manager pages of courses: overdue assigned courses and per-course counts (mounted at /courses/manage/).

Only municipal and regional managers get in (anybody else: 403); everything is scoped to what the
manager may see, and a course filter or municipality outside that scope is "not found".
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from people.personal_exports import PersonalExport, record_export
from people.spreadsheets import csv_bytes
from quizzes.manage_views import manager_scope

from .models import CoursePage, Enrollment

PER_PAGE = 100


def overdue_enrollments(scope, today, course=None, municipality=None):
    """Active, not completed enrolments of active people in scope whose due date has passed."""
    enrollments = Enrollment.objects.current().filter(due_date__lt=today, user__is_active=True)
    enrollments = scope.filter(enrollments, "user__municipality")
    if course is not None:
        enrollments = enrollments.filter(course=course)
    if municipality is not None:
        enrollments = enrollments.filter(
            Q(user__municipality=municipality) | Q(user__municipality__parent=municipality)
        )
    return enrollments.select_related("course", "user__municipality", "user__organization").order_by(
        "due_date", "user__last_name", "user__first_name", "pk"
    )


def course_counts(scope, today):
    """Per course with enrolments in scope: enrolled, completed and overdue (one aggregate query)."""
    enrollments = scope.filter(Enrollment.objects.active().filter(user__is_active=True), "user__municipality")
    overdue = Q(completed_at__isnull=True, due_date__lt=today)
    return (
        enrollments.values("course_id", "course__title")
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            overdue=Count("pk", filter=overdue),
        )
        .order_by("course__title")
    )


def _filters(request, scope):
    """The course and municipality picked in the query string (404 for what is unknown or out of scope)."""
    course = municipality = None
    if request.GET.get("course"):
        try:
            course = CoursePage.objects.get(pk=request.GET["course"])
        except (CoursePage.DoesNotExist, ValueError, OverflowError):  # SQLite: an id past 64 bits
            raise Http404 from None
    if request.GET.get("municipality"):
        municipality = scope.get_municipality_or_404(request.GET["municipality"])
    return course, municipality


@login_required
@require_GET
def overdue(request):
    scope = manager_scope(request)
    course, municipality = _filters(request, scope)
    today = timezone.localdate()
    page = Paginator(overdue_enrollments(scope, today, course, municipality), PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/manage/overdue.html",
        {
            "scope": scope,
            "today": today,
            "page": page,
            "course": course,
            "municipality": municipality,
            "courses": CoursePage.objects.filter(assignments__isnull=False).distinct().order_by("title"),
            "municipalities": scope.municipalities().order_by("name"),
            "counts": course_counts(scope, today),
            "query": query.urlencode(),
        },
    )


OVERDUE_TITLE = gettext_lazy("Просроченные назначенные курсы")
OVERDUE_HEADER = (
    gettext_lazy("ФИО"),
    gettext_lazy("Email"),
    gettext_lazy("Муниципальное образование"),
    gettext_lazy("Организация"),
    gettext_lazy("Курс"),
    gettext_lazy("Пройти до"),
    gettext_lazy("Просрочено, дней"),
)


def overdue_rows(enrollments, today):
    for enrollment in enrollments.iterator(chunk_size=2000):
        person = enrollment.user
        yield (
            person.get_full_name() or person.username,
            person.email,
            person.municipality or "",
            person.organization or "",
            enrollment.course.title,
            enrollment.due_date,
            (today - enrollment.due_date).days,
        )


@login_required
@require_POST
def overdue_csv(request):
    """The overdue list as CSV (UTF-8 with BOM, semicolons: opens as is in Excel), entered in the audit
    log of personal-data exports. POST with the CSRF token: a download writes the log."""
    scope = manager_scope(request)
    course, municipality = _filters(request, scope)
    today = timezone.localdate()
    rows = list(overdue_rows(overdue_enrollments(scope, today, course, municipality), today))
    filters = {_("Курс"): course.title if course else None, _("Муниципальное образование"): municipality}
    record_export(
        PersonalExport(
            user=request.user,
            key="overdue_courses",
            title=OVERDUE_TITLE,
            format="csv",
            scope=scope.description(),
            period=_("на %(date)s") % {"date": today.strftime("%d.%m.%Y")},
            params={label: value for label, value in filters.items() if value},
            row_count=len(rows),
        )
    )
    response = HttpResponse(csv_bytes(OVERDUE_HEADER, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="overdue-{today:%Y-%m-%d}.csv"'
    return response
