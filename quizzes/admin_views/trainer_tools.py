"""Trainers' tools in the admin: preview a question or a quiz as a servant sees it, and «Создать копию».

Who: those who edit the bank (trainers, regional managers): previewing a question or a quiz needs the right to
change it (the preview shows how answers score), copying needs the right to add one. Others get 403; people
without access to the admin never reach these views (Wagtail sends them away first).
"""

import random

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..exceptions import QuizError
from ..models import Question, Quiz
from ..services import preview as previews
from ..services.copying import duplicate_question, duplicate_quiz
from .questions import type_url


def _require(request, *permissions):
    if not request.user.has_perms(permissions):
        raise PermissionDenied


def _preview_page(request, title, preview, back_url, redraw_url=None, problem=""):
    return render(
        request,
        "quizzes/taking/preview.html",
        {
            "title": title,
            "preview": preview,
            "plain_questions": preview.items if preview else [],
            "back_url": back_url,
            "redraw_url": redraw_url,
            "problem": problem,
        },
    )


@require_http_methods(["GET", "POST"])
def question_preview(request, pk):
    _require(request, "quizzes.change_question")
    question = get_object_or_404(Question, pk=pk)
    preview = previews.build(previews.questions_in_order([question.pk]))
    if request.method == "POST":
        previews.answer(preview, request.POST)
    title = question.name or _("Вопрос")
    return _preview_page(request, title, preview, type_url(question.kind, "edit", question.pk))


@require_http_methods(["GET", "POST"])
def quiz_preview(request, pk):
    """GET draws the questions as a new sitting would; POST scores the questions the form carried."""
    _require(request, "quizzes.change_quiz")
    quiz = get_object_or_404(Quiz, pk=pk)
    back_url = reverse("quizzes_quiz:edit", args=[quiz.pk])
    redraw_url = reverse("quizzes_quiz:preview", args=[quiz.pk])
    if request.method == "POST":
        ids = previews.posted_question_ids(request.POST, quiz.possible_question_ids())
        preview = previews.build(previews.questions_in_order(ids), pass_mark=quiz.pass_mark)
        previews.answer(preview, request.POST)
        return _preview_page(request, quiz.title, preview, back_url, redraw_url)
    try:
        questions = quiz.draw_questions(rng=random.SystemRandom())
    except QuizError as error:
        return _preview_page(request, quiz.title, None, back_url, problem=error.message)
    preview = previews.build(questions, shuffle_options=quiz.shuffle_options, pass_mark=quiz.pass_mark)
    return _preview_page(request, quiz.title, preview, back_url, redraw_url)


class DuplicateView(WagtailAdminTemplateMixin, TemplateView):
    """GET asks, POST copies and opens the copy's edit form."""

    template_name = "quizzes/admin/duplicate.html"
    header_icon = "copy"
    model = None
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        _require(request, self.permission)
        self.object = get_object_or_404(self.model, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Создать копию")

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.index_url(), "label": capfirst(self.model._meta.verbose_name_plural)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            original=self.object, explanation=self.explanation, back_url=self.index_url(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        copy = self.copy(self.object)
        messages.success(request, _("Создана копия: «%(copy)s».") % {"copy": copy})
        return redirect(self.edit_url(copy))


class QuestionDuplicateView(DuplicateView):
    model = Question
    permission = "quizzes.add_question"
    explanation = _(
        "Копия получит тот же текст, варианты ответа с долями баллов и отзывами, метки и категорию; "
        "к названию добавится «(копия)», идентификатор останется пустым."
    )

    def copy(self, question):
        return duplicate_question(question)

    def index_url(self):
        return reverse("quizzes_question:index")

    def edit_url(self, question):
        return type_url(question.kind, "edit", question.pk)


class QuizDuplicateView(DuplicateView):
    model = Quiz
    permission = "quizzes.add_quiz"
    explanation = _(
        "Копия получит те же правила, вопросы в том же порядке, случайные выборки и мероприятия плана; "
        "к названию добавится «(копия)». Тестирования не копируются."
    )

    def copy(self, quiz):
        return duplicate_quiz(quiz)

    def index_url(self):
        return reverse("quizzes_quiz:index")

    def edit_url(self, quiz):
        return reverse("quizzes_quiz:edit", args=[quiz.pk])
