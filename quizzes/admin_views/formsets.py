"""Inline formsets for the admin's question and quiz forms (options, pairs, fixed questions, draws)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Choice, MatchingPair, MatchingQuestion, Question, Quiz, QuizDraw, QuizQuestion

_TEXT = forms.Textarea(attrs={"rows": 2})


class ChoiceFormSet(forms.BaseInlineFormSet):
    """Options of a choice question; ``exactly_one_correct`` for single choice."""

    exactly_one_correct = False

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        correct = sum(bool(form.cleaned_data.get("is_correct")) for form in kept)
        if len(kept) < 2:
            raise ValidationError(_("Нужно не меньше двух вариантов ответа."))
        if self.exactly_one_correct and correct != 1:
            raise ValidationError(_("Верным должен быть ровно один вариант."))
        if not correct:
            raise ValidationError(_("Отметьте хотя бы один верный вариант."))


class SingleChoiceFormSet(ChoiceFormSet):
    exactly_one_correct = True


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
        fields=["text", "is_correct", "order"],
        widgets={"text": _TEXT},
        extra=4,
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
        super().__init__(*args, **kwargs)
        # Plain base rows: the select only needs the text, not each subtype's table.
        self.fields["question"].queryset = Question.objects.non_polymorphic().active()


QuizQuestionsFormSet = forms.inlineformset_factory(Quiz, QuizQuestion, form=QuizQuestionForm, extra=3)
QuizDrawsFormSet = forms.inlineformset_factory(
    Quiz, QuizDraw, fields=["category", "count", "include_subcategories", "order"], extra=2
)
