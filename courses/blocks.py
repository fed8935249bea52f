"""Lesson blocks: the shared site blocks plus "Проверь себя", a practice quiz from the question bank.

Quizzes are not snippets, so the quiz is picked from a plain list (a ``ChooserBlock`` with a select
box): the block stores the quiz id and renders a button that starts a sitting outside any campaign.
"""

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.blocks import BaseStreamBlock


class QuizChooserBlock(blocks.ChooserBlock):
    target_model = "quizzes.Quiz"

    @cached_property
    def widget(self):
        return forms.Select()

    def get_form_state(self, value):
        # A select box takes the id (a chooser widget would take a dict of id, title and edit URL).
        return None if value is None else str(value.pk)

    class Meta:
        icon = "list-ul"


class CheckYourselfBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Заголовок"), max_length=255, default=_("Проверь себя"))
    text = blocks.TextBlock(
        label=_("Пояснение"),
        required=False,
        help_text=_("Например: несколько вопросов по материалам урока, результат ни на что не влияет."),
    )
    quiz = QuizChooserBlock(
        label=_("Тест"),
        help_text=_("Тест из банка вопросов. Для самопроверки лучше разрешить неограниченное число попыток."),
    )

    class Meta:
        icon = "help"
        template = "courses/blocks/check_yourself.html"
        label = _("Проверь себя")


class LessonStreamBlock(BaseStreamBlock):
    check_yourself = CheckYourselfBlock()


def quiz_ids_in(body):
    """Ids of the quizzes referenced by "Проверь себя" blocks of a lesson body (a StreamValue)."""
    ids = set()
    for block in body.raw_data:
        if block["type"] == "check_yourself" and block["value"].get("quiz"):
            ids.add(int(block["value"]["quiz"]))
    return ids
