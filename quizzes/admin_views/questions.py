"""The combined listing of the question bank (all types) and the "which type?" step of adding one."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..models import QUESTION_TYPES, Category, Question
from ..models.bank import TaggedQuestion
from .buttons import trainer_list_buttons


def type_viewset_name(kind):
    return "quizzes_question_" + kind


def type_url(kind, view_name, *args):
    return reverse(type_viewset_name(kind) + ":" + view_name, args=args)


def type_label(question):
    return capfirst(question._meta.verbose_name)


class QuestionFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("тип"),
        choices=[(kind, capfirst(model._meta.verbose_name)) for kind, model in QUESTION_TYPES.items()],
        method="filter_kind",
    )
    category = django_filters.ModelChoiceFilter(
        label=_("категория"), queryset=Category.objects.all(), method="filter_category"
    )
    legal_norm = django_filters.CharFilter(label=_("норма права"), lookup_expr="icontains")
    tag = django_filters.CharFilter(label=_("метка"), method="filter_tag")
    is_retired = django_filters.BooleanFilter(label=_("выведен из обращения"))

    class Meta:
        model = Question
        fields = []

    def filter_kind(self, queryset, name, value):
        content_type = ContentType.objects.get_for_model(QUESTION_TYPES[value], for_concrete_model=False)
        return queryset.filter(polymorphic_ctype=content_type)

    def filter_category(self, queryset, name, value):
        return queryset.in_category(value)

    def filter_tag(self, queryset, name, value):
        tagged = TaggedQuestion.objects.filter(tag__name__iexact=value.strip()).values("content_object")
        return queryset.filter(pk__in=tagged)


class QuestionIndexView(generic.IndexView):
    """All questions, whatever their type; each row links to its type's edit form."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("category__parent")

    def get_edit_url(self, instance):
        if self.user_has_permission("change"):
            return type_url(instance.kind, "edit", instance.pk)

    def get_list_more_buttons(self, instance):
        tools = trainer_list_buttons("quizzes_question", "question", instance, self.request.user)
        return [*super().get_list_more_buttons(instance), *tools]


class QuestionTypeChoiceView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Step one of adding a question: pick its type."""

    permission_required = "add"
    permission_policy = None
    index_url_name = None
    template_name = "quizzes/admin/question_type_choice.html"
    page_title = _("Новый вопрос")
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": capfirst(Question._meta.verbose_name_plural)},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["types"] = [
            {"label": capfirst(model._meta.verbose_name), "url": type_url(kind, "add")}
            for kind, model in QUESTION_TYPES.items()
            if user.has_perm(f"quizzes.add_{model._meta.model_name}")
        ]
        return context


def edit_by_type(request, pk):
    """The bank's edit link for any question: on to the form of its type."""
    question = get_object_or_404(Question, pk=pk)
    return redirect(type_url(question.kind, "edit", question.pk))
