"""Create and edit views that save inline formsets together with the object (one transaction)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic

from ..models import TestCampaign
from .buttons import trainer_header_buttons, trainer_list_buttons


class FormsetsMixin:
    """Adds ``formset_classes`` (``{prefix: inline formset class}``) to a Wagtail create/edit view."""

    formset_classes = {}
    template_name = "quizzes/admin/formset_form.html"
    # Where to go after saving; None keeps the viewset's own index.
    success_url_name = None

    def get_formset_classes(self):
        return self.formset_classes

    @cached_property
    def formsets(self):
        instance = getattr(self, "object", None) or self.form_instance_for_formsets()
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        formsets = {}
        for prefix, formset_class in self.get_formset_classes().items():
            formset = formset_class(data, files, instance=instance, prefix=prefix)
            formset.heading = capfirst(formset.model._meta.verbose_name_plural)
            formsets[prefix] = formset
        return formsets

    def form_instance_for_formsets(self):
        return self.model()

    def is_valid(self, form):
        # Validate every formset (not stopping at the first) so all errors show at once.
        results = [formset.is_valid() for formset in self.formsets.values()]
        formsets_valid = all(results)
        form_valid = super().is_valid(form)
        if form_valid and not formsets_valid:
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
        return form_valid and formsets_valid

    def save_instance(self):
        instance = super().save_instance()  # called inside the view's transaction
        for formset in self.formsets.values():
            formset.instance = instance
            formset.save()
        return instance

    def get_success_url(self):
        if self.success_url_name:
            return reverse(self.success_url_name)
        return super().get_success_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formsets"] = list(self.formsets.values())
        context["form_is_multipart"] = True
        for formset in self.formsets.values():  # widgets with scripts (the question picker)
            context["media"] = context["media"] + formset.media if "media" in context else formset.media
        return context


class FormsetCreateView(FormsetsMixin, generic.CreateView):
    pass


class FormsetEditView(FormsetsMixin, generic.EditView):
    pass


def open_campaigns_using(question, now=None):
    """Open campaigns whose quiz takes this question: fixed, or drawn from its category or above."""
    ancestors = [node.pk for node in question.category.path]
    return (
        TestCampaign.objects.open_now(now)
        .filter(
            Q(quiz__quiz_questions__question=question.pk)
            | Q(quiz__draws__category=question.category_id)
            | Q(quiz__draws__category__in=ancestors, quiz__draws__include_subcategories=True)
        )
        .distinct()
        .order_by("closes_at")
    )


class QuestionEditView(FormsetEditView):
    """Editing a question; warns when an open campaign uses it (sittings keep their snapshot)."""

    success_url_name = "quizzes_question:index"

    @cached_property
    def header_more_buttons(self):
        tools = trainer_header_buttons("quizzes_question", "question", self.object, self.request.user)
        return [*super().header_more_buttons, *tools]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["open_campaigns"] = list(open_campaigns_using(self.object))
        context["open_campaigns_warning"] = _(
            "Вопрос используется в идущем тестировании. Уже начатые попытки сохранили прежний текст "
            "вопроса, а новые получат изменённый: правьте только явные ошибки."
        )
        return context


class QuizEditView(FormsetEditView):
    """Editing a quiz, with its preview and «Создать копию» in the header menu."""

    @cached_property
    def header_more_buttons(self):
        tools = trainer_header_buttons("quizzes_quiz", "quiz", self.object, self.request.user)
        return [*super().header_more_buttons, *tools]


class QuizIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        tools = trainer_list_buttons("quizzes_quiz", "quiz", instance, self.request.user)
        return [*super().get_list_more_buttons(instance), *tools]


class QuestionCreateView(FormsetCreateView):
    success_url_name = "quizzes_question:index"
