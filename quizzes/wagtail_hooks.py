"""The testing area of the Wagtail admin: question bank, quizzes, campaigns, import and grading."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from cms.widgets import PlanItemsWidget

from .admin_views import campaigns
from .admin_views.editing import (
    FormsetCreateView,
    QuestionCreateView,
    QuestionEditView,
    QuizEditView,
    QuizIndexView,
)
from .admin_views.formsets import (
    NumericAnswersFormSet,
    PairsFormSet,
    QuizDrawsFormSet,
    QuizQuestionsFormSet,
    ShortAnswersFormSet,
    choice_formset,
)
from .admin_views.grading import GradingQueueView, can_grade
from .admin_views.importing import (
    ExportQuestionsView,
    FormatsGuideView,
    ImportQuestionsView,
    can_import_questions,
    download_gift_sample,
    download_template,
)
from .admin_views.picker import question_picker_viewset
from .admin_views.questions import (
    QuestionFilterSet,
    QuestionIndexView,
    QuestionTypeChoiceView,
    edit_by_type,
    type_label,
    type_viewset_name,
)
from .admin_views.trainer_tools import (
    QuestionDuplicateView,
    QuizDuplicateView,
    question_preview,
    quiz_preview,
)
from .models import (
    QUESTION_TYPES,
    Category,
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericQuestion,
    Question,
    Quiz,
    ShortTextQuestion,
    SingleChoiceQuestion,
    TestCampaign,
)


class CategoryViewSet(ModelViewSet):
    model = Category
    name = "quizzes_category"
    url_prefix = "quizzes/categories"
    icon = "folder-open-inverse"
    menu_label = _("Категории вопросов")
    list_display = ["full_name", "parent", "description"]
    search_fields = ["name", "description"]
    copy_view_enabled = False
    panels = [FieldPanel("name"), FieldPanel("parent"), FieldPanel("description")]

    def get_queryset(self, request):
        return Category.objects.select_related("parent__parent")


# --- Questions: one viewset per type for the forms, and one listing of the whole bank.

_QUESTION_HEAD = [
    FieldPanel("category"),
    FieldPanel("name"),
    FieldPanel("text"),
    FieldPanel("text_format"),
    FieldPanel("points"),
]
_QUESTION_TAIL = [
    MultiFieldPanel(
        [
            FieldPanel("explanation"),
            FieldPanel("legal_norm"),
            FieldPanel("image"),
            FieldPanel("tags"),
            FieldPanel("id_number"),
        ],
        heading=_("Разбор и поиск"),
    ),
    FieldPanel("is_retired"),
]
# Moodle's combined feedback: shown in the review after the feedback of the options chosen.
_COMBINED_FEEDBACK = MultiFieldPanel(
    [
        FieldPanel("correct_feedback"),
        FieldPanel("partially_correct_feedback"),
        FieldPanel("incorrect_feedback"),
        FieldPanel("show_num_correct"),
    ],
    heading=_("Отзыв по итогу ответа (как в Moodle)"),
    classname="collapsed",
)
_TYPE_PANELS = {
    "single": [_COMBINED_FEEDBACK],
    "multiple": [FieldPanel("grading"), _COMBINED_FEEDBACK],
    "matching": [_COMBINED_FEEDBACK],
    "truefalse": [FieldPanel("correct_value"), FieldPanel("feedback_true"), FieldPanel("feedback_false")],
    "short": [FieldRowPanel([FieldPanel("case_sensitive"), FieldPanel("loose_spelling")])],
    "numeric": [FieldPanel("unit")],
}
_TYPE_FORMSETS = {
    SingleChoiceQuestion: {"choices": choice_formset(single=True)},
    MultipleChoiceQuestion: {"choices": choice_formset(single=False)},
    MatchingQuestion: {"pairs": PairsFormSet},
    ShortTextQuestion: {"short_answers": ShortAnswersFormSet},
    NumericQuestion: {"numeric_answers": NumericAnswersFormSet},
}
_TYPE_ICONS = {
    "single": "radio-full",
    "multiple": "tasks",
    "truefalse": "tick",
    "short": "edit",
    "numeric": "decimal",
    "matching": "resubmit",
    "essay": "doc-full",
}


class QuestionTypeViewSet(ModelViewSet):
    """Create and edit forms of one question type (its listing is the bank's, below)."""

    copy_view_enabled = False
    list_display = ["text", "category", "points", "is_retired"]

    def __init__(self, model, **kwargs):
        kind = model.kind
        formsets = _TYPE_FORMSETS.get(model, {})
        super().__init__(
            name=type_viewset_name(kind),
            model=model,
            url_prefix="quizzes/questions/" + kind,
            icon=_TYPE_ICONS[kind],
            panels=[*_QUESTION_HEAD, *_TYPE_PANELS.get(kind, []), *_QUESTION_TAIL],
            add_view_class=type("CreateView", (QuestionCreateView,), {"formset_classes": formsets}),
            edit_view_class=type("EditView", (QuestionEditView,), {"formset_classes": formsets}),
            **kwargs,
        )


class QuestionViewSet(ModelViewSet):
    model = Question
    name = "quizzes_question"
    url_prefix = "quizzes/questions"
    icon = "help"
    menu_label = _("Вопросы")
    index_view_class = QuestionIndexView
    filterset_class = QuestionFilterSet
    search_fields = ["text", "legal_norm"]
    copy_view_enabled = False
    list_display = [
        "text",
        Column("kind", label=_("тип"), accessor=type_label),
        "category",
        "points",
        "legal_norm",
        "is_retired",
    ]
    form_fields = ["category", "text", "points"]

    @property
    def add_view(self):
        return QuestionTypeChoiceView.as_view(
            permission_policy=self.permission_policy, index_url_name=self.get_url_name("index")
        )

    @property
    def edit_view(self):
        return edit_by_type

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/preview/", question_preview, name="preview"),
            path("<int:pk>/duplicate/", QuestionDuplicateView.as_view(), name="duplicate"),
        ]


class QuizViewSet(ModelViewSet):
    model = Quiz
    name = "quizzes_quiz"
    url_prefix = "quizzes/quizzes"
    icon = "list-ul"
    menu_label = _("Тесты")
    list_display = ["title", "time_limit", "pass_mark", "attempts_allowed", "grading_method"]
    search_fields = ["title", "description"]
    copy_view_enabled = False
    add_view_class = type(
        "QuizCreateView",
        (FormsetCreateView,),
        {"formset_classes": {"questions": QuizQuestionsFormSet, "draws": QuizDrawsFormSet}},
    )
    edit_view_class = type(
        "QuizEditView",
        (QuizEditView,),
        {"formset_classes": {"questions": QuizQuestionsFormSet, "draws": QuizDrawsFormSet}},
    )
    index_view_class = QuizIndexView
    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("time_limit"), FieldPanel("pass_mark"), FieldPanel("attempts_allowed")]
                ),
                FieldRowPanel([FieldPanel("grading_method"), FieldPanel("review_policy")]),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]),
            ],
            heading=_("Правила"),
        ),
        FieldPanel("plan_items", widget=PlanItemsWidget),
        FieldPanel("municipal_use"),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/preview/", quiz_preview, name="preview"),
            path("<int:pk>/duplicate/", QuizDuplicateView.as_view(), name="duplicate"),
        ]


class TestCampaignViewSet(ModelViewSet):
    __test__ = False  # not a pytest test class despite the name

    model = TestCampaign
    name = "quizzes_campaign"
    url_prefix = "quizzes/campaigns"
    icon = "date"
    menu_label = _("Дистанционные тестирования")
    list_display = ["title", "quiz", "opens_at", "closes_at", "audience", "is_published"]
    list_filter = ["is_published", "quiz"]
    search_fields = ["title"]
    copy_view_enabled = False
    index_view_class = campaigns.CampaignIndexView
    add_view_class = campaigns.CampaignCreateView
    edit_view_class = campaigns.CampaignEditView
    delete_view_class = campaigns.CampaignDeleteView
    history_view_class = campaigns.CampaignHistoryView
    usage_view_class = campaigns.CampaignUsageView
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("description"),
            FieldPanel("quiz"),
            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Окно тестирования")),
            FieldPanel("audience"),
            FieldPanel("plan_items", widget=PlanItemsWidget),
            FieldPanel("is_published"),
            MultiFieldPanel(
                [FieldPanel("notify_opening"), FieldPanel("remind_days_before"), FieldPanel("notify_result")],
                heading=_("Уведомления участникам"),
            ),
        ],
        base_form_class=campaigns.CampaignForm,
    )


# --- Pages that are not model listings: the import and the grading queue.


def _menu_item_class(check):
    class PermissionCheckedMenuItem(MenuItem):
        def is_shown(self, request):
            return check(request.user)

    return PermissionCheckedMenuItem


class ImportQuestionsViewSet(ViewSet):
    name = "quizzes_import"
    url_prefix = "quizzes/import"
    icon = "upload"
    menu_label = _("Импорт вопросов")
    menu_item_class = _menu_item_class(can_import_questions)

    def get_urlpatterns(self):
        return [
            path("", ImportQuestionsView.as_view(), name="upload"),
            path("template.xlsx", download_template, name="template"),
            path("export/", ExportQuestionsView.as_view(), name="export"),
            path("formats/", FormatsGuideView.as_view(), name="formats"),
            path("sample.gift", download_gift_sample, name="gift_sample"),
        ]


class GradingViewSet(ViewSet):
    name = "quizzes_grading"
    url_prefix = "quizzes/grading"
    icon = "tick-inverse"
    menu_label = _("Проверка ответов")
    menu_item_class = _menu_item_class(can_grade)

    def get_urlpatterns(self):
        return [path("", GradingQueueView.as_view(), name="queue")]


class TestingViewSetGroup(ViewSetGroup):
    __test__ = False

    items = (
        CategoryViewSet,
        QuestionViewSet,
        QuizViewSet,
        TestCampaignViewSet,
        ImportQuestionsViewSet,
        GradingViewSet,
    )
    menu_label = _("Тестирование")
    menu_icon = "list-ol"
    menu_name = "testing"
    menu_order = 300


@hooks.register("register_admin_viewset")
def register_testing_viewsets():
    return [
        TestingViewSetGroup(),
        question_picker_viewset,
        *(QuestionTypeViewSet(model) for model in QUESTION_TYPES.values()),
    ]
