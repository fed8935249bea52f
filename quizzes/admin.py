"""Django admin for the question bank, quizzes and sittings (Wagtail viewsets come in a later slice)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from polymorphic.admin import (
    PolymorphicChildModelAdmin,
    PolymorphicChildModelFilter,
    PolymorphicParentModelAdmin,
)

from .models import (
    Category,
    Choice,
    EssayQuestion,
    MatchingPair,
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericAnswer,
    NumericQuestion,
    Question,
    Quiz,
    QuizDraw,
    QuizQuestion,
    Response,
    ShortAnswer,
    ShortTextQuestion,
    SingleChoiceQuestion,
    Sitting,
    TrueFalseQuestion,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "parent"]
    list_select_related = ["parent__parent"]
    search_fields = ["name", "parent__name"]
    autocomplete_fields = ["parent"]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 4
    fields = ["text", "fraction", "feedback", "order"]


class MatchingPairInline(admin.TabularInline):
    model = MatchingPair
    extra = 4
    fields = ["left", "right", "order"]


class QuestionChildAdmin(PolymorphicChildModelAdmin):
    base_model = Question
    # A tuple: django-polymorphic appends the subtype's own fields (and the combined feedback) to it.
    base_fieldsets = (
        (None, {"fields": ["category", "name", "text", "text_format", "points", "tags"]}),
        (_("Разбор"), {"fields": ["explanation", "legal_norm", "image", "id_number", "is_retired"]}),
    )
    autocomplete_fields = ["category"]


@admin.register(SingleChoiceQuestion)
class SingleChoiceQuestionAdmin(QuestionChildAdmin):
    inlines = [ChoiceInline]


@admin.register(MultipleChoiceQuestion)
class MultipleChoiceQuestionAdmin(QuestionChildAdmin):
    inlines = [ChoiceInline]


@admin.register(MatchingQuestion)
class MatchingQuestionAdmin(QuestionChildAdmin):
    inlines = [MatchingPairInline]


class ShortAnswerInline(admin.TabularInline):
    model = ShortAnswer
    extra = 3
    fields = ["text", "fraction", "feedback", "order"]


class NumericAnswerInline(admin.TabularInline):
    model = NumericAnswer
    extra = 2
    fields = ["value", "tolerance", "fraction", "feedback", "order"]


@admin.register(ShortTextQuestion)
class ShortTextQuestionAdmin(QuestionChildAdmin):
    inlines = [ShortAnswerInline]


@admin.register(NumericQuestion)
class NumericQuestionAdmin(QuestionChildAdmin):
    inlines = [NumericAnswerInline]


@admin.register(TrueFalseQuestion, EssayQuestion)
class PlainQuestionAdmin(QuestionChildAdmin):
    pass


@admin.register(Question)
class QuestionAdmin(PolymorphicParentModelAdmin):
    base_model = Question
    child_models = [
        SingleChoiceQuestion,
        MultipleChoiceQuestion,
        TrueFalseQuestion,
        ShortTextQuestion,
        NumericQuestion,
        MatchingQuestion,
        EssayQuestion,
    ]
    list_display = ["__str__", "type_name", "category", "points", "legal_norm", "is_retired"]
    list_filter = [PolymorphicChildModelFilter, "is_retired", "category"]
    list_select_related = ["category__parent", "polymorphic_ctype"]
    search_fields = ["text", "legal_norm"]

    @admin.display(description=_("тип"))
    def type_name(self, obj):
        return obj.polymorphic_ctype.model_class()._meta.verbose_name


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    extra = 1
    autocomplete_fields = ["question"]


class QuizDrawInline(admin.TabularInline):
    model = QuizDraw
    extra = 1
    autocomplete_fields = ["category"]


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "time_limit", "pass_mark", "attempts_allowed", "grading_method"]
    search_fields = ["title"]
    filter_horizontal = ["plan_items"]
    inlines = [QuizQuestionInline, QuizDrawInline]


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    can_delete = False
    fields = ["question", "answer", "seq", "saved_at", "fraction", "grader", "graded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Sitting)
class SittingAdmin(admin.ModelAdmin):
    """Read-only: sittings change only through quizzes.services."""

    list_display = [
        "user",
        "quiz",
        "place",
        "number",
        "state",
        "started_at",
        "finished_at",
        "percent",
        "passed",
    ]
    list_filter = ["state", "quiz"]
    list_select_related = ["user", "quiz"]
    search_fields = ["user__last_name", "user__username", "quiz__title"]
    date_hierarchy = "started_at"
    inlines = [ResponseInline]
    exclude = ["snapshot", "question_order", "context"]
    readonly_fields = ["place"]

    @admin.display(description=_("место прохождения"))
    def place(self, sitting):
        return sitting.context_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
