"""Inline formsets for the admin's question and quiz forms (options, pairs, fixed questions, draws)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import (
    Choice,
    MatchingPair,
    MatchingQuestion,
    NumericAnswer,
    NumericQuestion,
    Question,
    Quiz,
    QuizDraw,
    QuizQuestion,
    ShortAnswer,
    ShortTextQuestion,
)

_TEXT = forms.Textarea(attrs={"rows": 2})


def _kept(formset):
    return [form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


class ChoiceFormSet(forms.BaseInlineFormSet):
    """Options of a choice question with Moodle's fractions; ``single`` for single choice."""

    single = False

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = _kept(self)
        fractions = [form.cleaned_data.get("fraction") or 0 for form in kept]
        if len(kept) < 2:
            raise ValidationError(_("Нужно не меньше двух вариантов ответа."))
        if self.single:
            if 1 not in fractions:
                raise ValidationError(_("Хотя бы один вариант должен давать полный балл (долю 1)."))
            if any(fraction < 0 for fraction in fractions):
                raise ValidationError(
                    _("В вопросе с одним ответом доля варианта не может быть отрицательной.")
                )
        elif not any(fraction > 0 for fraction in fractions):
            raise ValidationError(_("Хотя бы один вариант должен давать баллы (положительная доля)."))


class SingleChoiceFormSet(ChoiceFormSet):
    single = True


class ShortAnswerFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("fraction") == 1 for form in _kept(self)):
            raise ValidationError(_("Укажите хотя бы один ответ, дающий полный балл."))


class NumericAnswerFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(
            form.cleaned_data.get("fraction") == 1 and form.cleaned_data.get("value") is not None
            for form in _kept(self)
        ):
            raise ValidationError(_("Укажите хотя бы один числовой ответ, дающий полный балл."))


class PairFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if sum(bool(form.cleaned_data.get("left")) for form in kept) < 2:
            raise ValidationError(_("Нужно не меньше двух пар."))


def choice_formset(single):
    return forms.inlineformset_factory(
        Question,
        Choice,
        formset=SingleChoiceFormSet if single else ChoiceFormSet,
        fields=["text", "fraction", "feedback", "order"],
        widgets={"text": _TEXT, "feedback": _TEXT},
        extra=4,
    )


ShortAnswersFormSet = forms.inlineformset_factory(
    ShortTextQuestion,
    ShortAnswer,
    formset=ShortAnswerFormSet,
    fields=["text", "fraction", "feedback", "order"],
    widgets={"feedback": _TEXT},
    extra=3,
)
NumericAnswersFormSet = forms.inlineformset_factory(
    NumericQuestion,
    NumericAnswer,
    formset=NumericAnswerFormSet,
    fields=["value", "tolerance", "fraction", "feedback", "order"],
    widgets={"feedback": _TEXT},
    extra=2,
)


PairsFormSet = forms.inlineformset_factory(
    MatchingQuestion,
    MatchingPair,
    formset=PairFormSet,
    fields=["left", "right", "order"],
    widgets={"left": _TEXT, "right": _TEXT},
    extra=4,
)


class QuizQuestionForm(forms.ModelForm):
    class Meta:
        model = QuizQuestion
        fields = ["question", "order"]

    def __init__(self, *args, **kwargs):
        from .picker import question_picker_viewset

        super().__init__(*args, **kwargs)
        # Plain base rows: the picker only needs the text, not each subtype's table.
        self.fields["question"].queryset = Question.objects.non_polymorphic().active()
        # The bank is picked from in a modal filtered by text, category and tag (admin_views/picker.py).
        self.fields["question"].widget = question_picker_viewset.widget_class()


QuizQuestionsFormSet = forms.inlineformset_factory(Quiz, QuizQuestion, form=QuizQuestionForm, extra=3)
QuizDrawsFormSet = forms.inlineformset_factory(
    Quiz, QuizDraw, fields=["category", "count", "include_subcategories", "order"], extra=2
)
