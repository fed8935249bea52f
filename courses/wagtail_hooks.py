"""Course assignments in the Wagtail admin: regional managers give a course to an audience.

Saving an active assignment applies it at once (everybody the audience covers is enrolled); later
people are enrolled automatically when they are imported or their details change.
"""

from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from quizzes.answerable import sharing_warnings
from quizzes.models import Quiz

from .assignments import apply_assignment
from .blocks import quiz_ids_in
from .models import Assignment, LessonPage


class ApplyOnSaveMixin:
    def save_instance(self):
        instance = super().save_instance()
        if instance.is_active:
            # After the commit: the enrolments go in their own transaction, the form's is done.
            transaction.on_commit(lambda: self.apply(instance))
        return instance

    def apply(self, assignment):
        count = apply_assignment(assignment)
        messages.info(
            self.request, _("Назначение применено: записано новых слушателей — %(count)s.") % {"count": count}
        )


class AssignmentCreateView(ApplyOnSaveMixin, generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class AssignmentEditView(ApplyOnSaveMixin, generic.EditView):
    pass


class AssignmentViewSet(ModelViewSet):
    model = Assignment
    name = "courses_assignment"
    url_prefix = "courses/assignments"
    icon = "group"
    menu_label = gettext_lazy("Назначения курсов")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["course", "audience", "due_date", "due_days_after_hire", "is_active", "created_at"]
    list_filter = ["is_active", "course"]
    copy_view_enabled = False
    add_view_class = AssignmentCreateView
    edit_view_class = AssignmentEditView
    panels = [
        FieldPanel("course"),
        FieldPanel("audience"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("due_date"), FieldPanel("due_days_after_hire")]),
                FieldPanel("remind_days_before"),
            ],
            heading=gettext_lazy("Срок"),
        ),
        FieldPanel("is_active"),
    ]

    def get_queryset(self, request):
        return Assignment.objects.select_related("course", "audience")


@hooks.register("register_admin_viewset")
def register_assignment_viewset():
    return AssignmentViewSet()


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_practice_on_campaign_questions(request, page):
    """A «Проверь себя» block on a quiz that shares questions with a campaign: the trainer is told that
    its review will hide those questions while the campaign runs (``quizzes.answerable``)."""
    if not isinstance(page, LessonPage):
        return
    for quiz in Quiz.objects.filter(pk__in=quiz_ids_in(page.body)):
        for warning in sharing_warnings(quiz, _("в блоке «Проверь себя»")):
            messages.warning(request, warning)
