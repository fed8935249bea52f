"""The trainer's queue of essay answers to grade.

People's names are left out on purpose (grading is blind); a sitting is known by its number.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..exceptions import InvalidGrade, QuizError
from ..importing.decimals import parse_decimal
from ..models import Response
from ..services import grade_response

GRADE_PERMISSION = "quizzes.change_response"
PER_PAGE = 25


def can_grade(user):
    return user.is_authenticated and user.has_perm(GRADE_PERMISSION)


class GradeForm(forms.Form):
    response = forms.IntegerField(widget=forms.HiddenInput)
    fraction = forms.CharField(
        label=_("Доля балла (0–1)"), required=False, widget=forms.TextInput(attrs={"size": 6})
    )
    points = forms.CharField(label=_("или баллы"), required=False, widget=forms.TextInput(attrs={"size": 6}))
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        fraction, points = data.get("fraction", "").strip(), data.get("points", "").strip()
        if bool(fraction) == bool(points):
            raise forms.ValidationError(_("Укажите либо долю балла, либо баллы."))
        if points and parse_decimal(points) is None:
            raise forms.ValidationError(_("Баллы должны быть числом."))
        return data

    def fraction_for(self, max_points):
        """The grade as a fraction of the question's points (points are divided by ``max_points``).

        A question worth 0 points can only be graded by its share: raises :class:`InvalidGrade`."""
        if self.cleaned_data["fraction"].strip():
            return self.cleaned_data["fraction"].strip()
        points = parse_decimal(self.cleaned_data["points"])
        max_points = Decimal(max_points or 0)
        if not max_points:
            raise InvalidGrade(_("Вопрос стоит 0 баллов: укажите долю балла, а не баллы."))
        return points / max_points


class GradingQueueView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "quizzes/admin/grading_queue.html"
    page_title = _("Проверка развёрнутых ответов")
    header_icon = "tick"

    def dispatch(self, request, *args, **kwargs):
        if not can_grade(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def queue(self):
        return Response.objects.awaiting_grading().select_related("sitting__quiz").order_by("saved_at", "pk")

    def get_context_data(self, failed=None, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.queue(), PER_PAGE).get_page(self.request.GET.get("p"))
        rows = []
        for response in page:
            snapshot = response.sitting.question_snapshot(response.question_id) or {}
            form = failed if failed is not None and failed.data.get("response") == str(response.pk) else None
            if form is None:
                form = GradeForm(initial={"response": response.pk})
            form.auto_id = f"id_%s_{response.pk}"  # one form per row: its labels need ids of their own
            rows.append(
                {
                    "response": response,
                    "quiz": response.sitting.quiz,
                    "question": snapshot.get("text", ""),
                    "points": snapshot.get("points", ""),
                    "answer": (response.answer or {}).get("text", ""),
                    "form": form,
                }
            )
        context.update(page=page, rows=rows, total=page.paginator.count)
        return context

    def post(self, request, *args, **kwargs):
        form = GradeForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Оценка не сохранена: исправьте ошибки в форме."))
            return self.render_to_response(self.get_context_data(failed=form), status=400)
        response = get_object_or_404(
            Response.objects.select_related("sitting"), pk=form.cleaned_data["response"]
        )
        snapshot = response.sitting.question_snapshot(response.question_id) or {}
        try:
            grade_response(
                response,
                form.fraction_for(snapshot.get("points")),
                request.user,
                comment=form.cleaned_data["comment"],
            )
        except QuizError as error:
            form.add_error(None, error.message)
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(failed=form), status=400)
        messages.success(
            request,
            gettext("Ответ в попытке № %(sitting)s оценён.") % {"sitting": response.sitting_id},
        )
        return redirect(reverse("quizzes_grading:queue"))
