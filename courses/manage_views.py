"""Manager pages of courses: overdue assigned courses and per-course counts (mounted at /courses/manage/).

Only municipal and regional managers get in (anybody else: 403); everything is scoped to what the
manager may see, and a course filter or municipality outside that scope is "not found".
"""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from people.spreadsheets import cell_value
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


@login_required
@require_GET
def overdue_csv(request):
    """The overdue list as CSV (UTF-8 with BOM, semicolons: opens as is in Excel)."""
    scope = manager_scope(request)
    course, municipality = _filters(request, scope)
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="overdue-{today:%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("ФИО"),
            _("Email"),
            _("Муниципальное образование"),
            _("Организация"),
            _("Курс"),
            _("Пройти до"),
            _("Просрочено, дней"),
        ]
    )
    for enrollment in overdue_enrollments(scope, today, course, municipality).iterator(chunk_size=2000):
        person = enrollment.user
        row = [
            person.get_full_name() or person.username,
            person.email,
            person.municipality or "",
            person.organization or "",
            enrollment.course.title,
            enrollment.due_date.strftime("%d.%m.%Y"),
            (today - enrollment.due_date).days,
        ]
        writer.writerow([cell_value(value) for value in row])  # names from rosters never run as formulas
    return response
