"""The question picker of the quiz form: a Wagtail chooser over the active questions of the bank, filtered
by words of the text (or the name, the legal norm, the id number), by category (with its subcategories)
and by tag, so a trainer adding fixed questions to a quiz finds them without scrolling the whole bank."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from ..models import Category, Question
from ..models.bank import TaggedQuestion


def tag_names():
    """The tags that label at least one question, in alphabetical order."""
    return list(TaggedQuestion.objects.order_by("tag__name").values_list("tag__name", flat=True).distinct())


class QuestionPickerFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Текст"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Слова из текста, название, норма права")}),
    )
    # A changed choice searches at once, as typing does (Wagtail's chooser modal listens to these).
    category = forms.ModelChoiceField(
        label=_("Категория"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("Все категории"),
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )
    tag = forms.ChoiceField(
        label=_("Метка"),
        required=False,
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("Все метки")), *((name, name) for name in tag_names())]

    def filter(self, objects):
        objects = super().filter(objects)
        data = self.cleaned_data
        words = (data.get("q") or "").strip()
        if words:
            objects = objects.filter(
                Q(text__icontains=words)
                | Q(name__icontains=words)
                | Q(legal_norm__icontains=words)
                | Q(id_number__iexact=words)
            )
            self.search_query = words
        if data.get("category"):
            objects = objects.in_category(data["category"])
        if data.get("tag"):
            objects = objects.filter(
                pk__in=TaggedQuestion.objects.filter(tag__name=data["tag"]).values("content_object")
            )
        self.is_searching = bool(words or data.get("category") or data.get("tag"))
        return objects


def _tags(question):
    return ", ".join(sorted(tag.name for tag in question.tags.all()))


class QuestionPickerMixin:
    filter_form_class = QuestionPickerFilterForm
    per_page = 20

    def get_object_list(self):
        return (
            Question.objects.non_polymorphic()
            .active()
            .select_related("category")
            .prefetch_related("tags")
            .order_by("category__name", "pk")
        )

    @property
    def columns(self):
        return [
            self.title_column,
            Column("category", label=_("Категория"), accessor="category"),
            Column("tags", label=_("Метки"), accessor=_tags),
            Column("points", label=_("Баллы"), accessor="points"),
        ]


class QuestionPickView(QuestionPickerMixin, chooser_views.ChooseView):
    pass


class QuestionPickResultsView(QuestionPickerMixin, chooser_views.ChooseResultsView):
    pass


class QuestionPickerViewSet(ChooserViewSet):
    model = Question
    name = "quizzes_question_picker"
    url_prefix = "quizzes/question-picker"
    icon = "help"
    choose_one_text = _("Выбрать вопрос")
    choose_another_text = _("Выбрать другой вопрос")
    page_title = _("Выбор вопроса из банка")
    choose_view_class = QuestionPickView
    choose_results_view_class = QuestionPickResultsView
    register_widget = False  # used by the quiz form only (QuizQuestionForm)
    creation_form_class = None
    form_fields = None


question_picker_viewset = QuestionPickerViewSet()
