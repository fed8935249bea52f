"""The courses in the Wagtail admin.

Course assignments: :mod:`courses.assignment_admin`.

One review per course (``courses.review``): the editor's, the bulk actions' and the dashboard's side
of it.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from quizzes.answerable import sharing_warnings
from quizzes.models import Quiz

from . import review
from .assignment_admin import AssignmentViewSet
from .blocks import quiz_ids_in
from .models import CoursePage, LessonPage


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


# --- one review per course (courses.review) ------------------------------------------------------------


@hooks.register("construct_page_action_menu")
def no_separate_submission_of_a_new_lesson(menu_items, request, context):
    """A lesson goes to review with its course: the add form of a lesson offers no «Отправить…» (the
    edit form offers none since a lesson has no workflow of its own)."""
    if context.get("view") == "create" and isinstance(context.get("parent_page"), CoursePage):
        menu_items[:] = [item for item in menu_items if item.name != "action-submit"]


@hooks.register("before_create_page")
def lessons_of_a_course_in_review(request, parent_page, page_class):
    if not issubclass(page_class, LessonPage) or not isinstance(parent_page, CoursePage):
        return None
    refusal = review.adding_refusal(parent_page)
    if refusal:
        messages.error(request, refusal)
        return redirect("wagtailadmin_explore", parent_page.pk)
    if request.method == "POST" and request.POST.get("action-submit"):
        # A form sent with «Отправить…» (an old page in the browser): saved as a draft, and said so.
        request.POST = request.POST.copy()
        request.POST.pop("action-submit")
        request.lesson_submission_folded = True
    return None


@hooks.register("after_create_page")
def say_the_lesson_waits_for_its_course(request, page):
    if getattr(request, "lesson_submission_folded", False) and isinstance(page, LessonPage):
        messages.warning(
            request,
            _(
                "Урок «%(lesson)s» сохранён как черновик: уроки отправляются на проверку вместе с курсом. "
                "Отправьте на проверку курс «%(course)s»."
            )
            % {"lesson": page.title, "course": page.get_parent().title},
        )


@hooks.register("before_publish_page")
def a_course_goes_live_with_its_lessons(request, page):
    if isinstance(page, CoursePage):
        refusal = review.publish_refusal(page)
        if refusal:
            messages.error(request, refusal)
            return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def courses_and_lessons_in_bulk(request, action_type, objects, action_class_instance):
    """The bulk actions keep the same rules: a course goes live with its lessons; a lesson under review
    with its course is not deleted."""
    if action_type == "publish":
        refusals = [
            review.publish_refusal(page.specific) for page in objects if isinstance(page.specific, CoursePage)
        ]
    elif action_type == "delete":
        refusals = [
            review.deleting_refusal(page.specific, request.user)
            for page in objects
            if isinstance(page.specific, LessonPage)
        ]
    else:
        return None
    refusals = [refusal for refusal in refusals if refusal]
    for refusal in refusals:
        messages.error(request, refusal)
    return redirect(action_class_instance.next_url) if refusals else None


@hooks.register("before_delete_page")
def lessons_under_review_stay(request, page):
    if isinstance(page.specific, LessonPage):
        refusal = review.deleting_refusal(page.specific, request.user)
        if refusal:
            messages.error(request, refusal)
            return redirect("wagtailadmin_pages:edit", page.pk)
    return None


class CourseReviewsPanel(Component):
    """On the admin dashboard, under «В ожидании вашего отзыва»: each course waiting for this reviewer with
    the lessons under review with it, and links to each lesson's version and changes."""

    name = "course_reviews"
    template_name = "courses/admin/dashboard_reviews.html"
    order = 221  # right after Wagtail's «В ожидании вашего отзыва» (220)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["reviews"] = review.reviews_for(parent_context["request"].user)
        return context


@hooks.register("construct_homepage_panels")
def add_course_reviews_panel(request, panels):
    panels.append(CourseReviewsPanel())
