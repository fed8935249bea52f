"""One review per course: a course goes to moderation together with its new and changed lessons.

The moderation workflow «Проверка и публикация» (``cms.moderation``) runs on the course page; the
lessons follow it (``docs/roles.md``, "A course and its lessons: one review"):

* a lesson has no workflow of its own (``LessonPage.get_workflow()`` is ``None``): trainers save lessons
  as drafts and submit the course;
* when a task of the workflow starts on a course (submitted, or resubmitted after «Запрос
  изменений»), every lesson of it that is new or has unpublished changes is bound to that task state
  with its latest revision (:class:`~courses.models.CourseReviewLesson`). A lesson still in a review of
  its own (submitted before this rule) is taken into the course's review: its own is cancelled;
* while the course is in review its lessons are locked like the course itself (only reviewers edit
  them), and no lesson is added or deleted;
* approving the course publishes the course (Wagtail) and then, in the same transaction (Wagtail sends
  ``workflow_approved`` inside ``WorkflowState.finish``), exactly the bound revisions of its lessons.
  A revision saved after the submission is not published: it stays a draft, and the review says so;
* «Запрос изменений» publishes nothing: the lessons stay drafts and are unlocked, and the
  reviewer's comment is shown on the course and on its lessons;
* a course that is not live is not published directly (the editor's «Опубликовать», the bulk action)
  while some of its lessons are unpublished: it goes live with its lessons through the review.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.locks import WorkflowLock
from wagtail.models import TaskState, WorkflowState

from .models import CoursePage, CourseReviewLesson, LessonPage

# --- which lessons ---------------------------------------------------------------------------------


def course_of(lesson):
    """The course a lesson belongs to (``None`` for a lesson not saved yet)."""
    if not lesson.pk:
        return None
    return CoursePage.objects.parent_of(lesson).first()


def pending_lessons(course):
    """The course's lessons that are new or have unpublished changes, in the order of the tree."""
    return (
        LessonPage.objects.child_of(course)
        .filter(Q(live=False) | Q(has_unpublished_changes=True))
        .order_by("path")
    )


def unpublished_lessons(course):
    return LessonPage.objects.child_of(course).not_live().order_by("path")


def is_course_state(workflow_state):
    model = workflow_state.content_type.model_class()
    return model is not None and issubclass(model, CoursePage)


def in_review(course):
    """The course is waiting for a reviewer's decision (not: returned for changes)."""
    return course.pk is not None and course.workflow_in_progress


# --- the review's life: submitted, approved -------------------------------------------------------


@transaction.atomic
def bind_lessons(task_state, user=None):
    """Bind the course's new and changed lessons, at their latest revisions, to ``task_state``."""
    course = CoursePage.objects.get(pk=task_state.workflow_state.object_id)
    CourseReviewLesson.objects.filter(task_state=task_state).delete()
    entries = []
    for lesson in pending_lessons(course):
        own = lesson.current_workflow_state
        if own is not None:  # a review of its own from before: the course's review takes it over
            own.cancel(user=user)
        revision = lesson.get_latest_revision() or lesson.save_revision(user=user, clean=False)
        entries.append(
            CourseReviewLesson(
                task_state=task_state, lesson=lesson, revision=revision, is_new=not lesson.live
            )
        )
    return CourseReviewLesson.objects.bulk_create(entries)


def publish_reviewed_lessons(workflow_state, user=None):
    """Publish the revisions of the lessons reviewed with the course (called inside the approval's
    transaction). A lesson already live at that revision or a later one is left as it is."""
    course = CoursePage.objects.get(pk=workflow_state.object_id)
    published = []
    entries = (
        CourseReviewLesson.objects.filter(task_state_id=workflow_state.current_task_state_id)
        .filter(lesson__in=LessonPage.objects.child_of(course))  # a lesson moved away meanwhile stays out
        .select_related("lesson", "revision")
        .order_by("lesson__path")
    )
    for entry in entries:
        lesson = entry.lesson
        if lesson.live and (lesson.live_revision_id or 0) >= entry.revision_id:
            continue
        entry.revision.publish(user=user)
        published.append(lesson)
    return published


# --- what the review shows ------------------------------------------------------------------------


@dataclass
class ReviewedLesson:
    lesson: LessonPage
    revision: object  # wagtail.models.Revision
    is_new: bool
    changed_after: bool  # the lesson has a newer revision than the one under review

    @property
    def view_url(self):
        return reverse("wagtailadmin_pages:revisions_view", args=[self.lesson.pk, self.revision.pk])

    @property
    def compare_url(self):
        if self.is_new:
            return None
        return reverse(
            "wagtailadmin_pages:revisions_compare", args=[self.lesson.pk, "live", self.revision.pk]
        )

    @property
    def edit_url(self):
        return reverse("wagtailadmin_pages:edit", args=[self.lesson.pk])


@dataclass
class CourseReview:
    """A course's review as it stands: waiting for a decision, or returned for changes."""

    course: CoursePage
    state: WorkflowState
    lessons: list = field(default_factory=list)

    @property
    def in_progress(self):
        return self.state.status == WorkflowState.STATUS_IN_PROGRESS

    @property
    def returned(self):
        return self.state.status == WorkflowState.STATUS_NEEDS_CHANGES

    @property
    def task_state(self):
        return self.state.current_task_state

    @property
    def comment(self):
        return self.task_state.comment if self.returned and self.task_state else ""

    @property
    def returned_by(self):
        return self.task_state.finished_by if self.returned and self.task_state else None

    @property
    def edit_url(self):
        return reverse("wagtailadmin_pages:edit", args=[self.course.pk])


def reviewed_lessons(task_state):
    entries = (
        CourseReviewLesson.objects.filter(task_state=task_state)
        .select_related("lesson", "revision")
        .order_by("lesson__path")
    )
    return [
        ReviewedLesson(
            lesson=entry.lesson,
            revision=entry.revision,
            is_new=entry.is_new,
            changed_after=entry.lesson.latest_revision_id != entry.revision_id,
        )
        for entry in entries
    ]


def current_review(course):
    """The course's review waiting for a decision or returned for changes, or ``None``."""
    if course is None or course.pk is None:
        return None
    state = course.current_workflow_state
    if state is None:
        return None
    return CourseReview(course=course, state=state, lessons=reviewed_lessons(state.current_task_state))


def reviews_for(user):
    """The courses waiting for ``user``'s decision, each with its lessons (newest first)."""
    states = (
        TaskState.objects.reviewable_by(user)
        .filter(workflow_state__content_type=ContentType.objects.get_for_model(CoursePage))
        .select_related("workflow_state")
        .order_by("-started_at")
    )
    courses = CoursePage.objects.in_bulk([int(state.workflow_state.object_id) for state in states])
    reviews = []
    for state in states:
        course = courses.get(int(state.workflow_state.object_id))
        if course is not None:
            reviews.append(
                CourseReview(course=course, state=state.workflow_state, lessons=reviewed_lessons(state))
            )
    return reviews


def panel_context(page, parent=None):
    """What the «Проверка курса» panel shows in the editor of a course or a lesson."""
    if isinstance(page, LessonPage):
        course = course_of(page) or (parent if isinstance(parent, CoursePage) else None)
        review = current_review(course)
        return {
            "is_lesson": True,
            "course": course,
            "review": review,
            "in_this_review": bool(review and any(item.lesson.pk == page.pk for item in review.lessons)),
        }
    review = current_review(page)
    return {
        "is_lesson": False,
        "course": page,
        "review": review,
        "pending": list(pending_lessons(page)) if page.pk and not (review and review.in_progress) else [],
    }


# --- what is refused while a course is in review, or not live --------------------------------------


class CourseReviewLock(WorkflowLock):
    """A lesson locked by its course's review: only the reviewers of the current task may edit it."""

    def __init__(self, lesson, task, course):
        super().__init__(lesson, task)
        self.course = course

    def get_message(self, user):
        if self.for_user(user):
            return format_html(
                _(
                    "Урок проверяется вместе с курсом «{course}»: пока проверка идёт, изменять его "
                    "могут только проверяющие."
                ),
                course=self.course.title,
            )
        return None


def lesson_lock(lesson):
    course = course_of(lesson)
    if course is None:
        return None
    task = course.current_workflow_task
    return CourseReviewLock(lesson, task, course) if task is not None else None


def publish_refusal(course):
    """Why ``course`` may not be published directly now (a message), or ``None``: a course that is not
    live yet goes live with its lessons, through the review."""
    if course.live:
        return None
    titles = [f"«{title}»" for title in unpublished_lessons(course).values_list("title", flat=True)]
    if not titles:
        return None
    return _(
        "Курс «%(course)s» не опубликован: среди его уроков есть неопубликованные (%(lessons)s). "
        "Курс выходит в свет вместе с уроками через проверку: отправьте курс на проверку или, если он "
        "уже отправлен, одобрите его — уроки будут опубликованы вместе с ним."
    ) % {"course": course.title, "lessons": ", ".join(titles)}


def adding_refusal(course):
    if in_review(course):
        return _(
            "Курс «%(course)s» на проверке: новый урок можно добавить, когда проверяющий примет решение."
        ) % {"course": course.title}
    return None


def deleting_refusal(lesson, user):
    lock = lesson_lock(lesson)
    if lock is not None and lock.for_user(user):
        return _(
            "Урок «%(lesson)s» проверяется вместе с курсом «%(course)s»: удалить его можно, когда "
            "проверяющий примет решение."
        ) % {"lesson": lesson.title, "course": lock.course.title}
    return None


# --- receivers (connected in CoursesConfig.ready) --------------------------------------------------


def task_submitted(sender, instance, user=None, **kwargs):
    if is_course_state(instance.workflow_state):
        bind_lessons(instance, user=user)


def workflow_approved(sender, instance, user=None, **kwargs):
    if is_course_state(instance):
        publish_reviewed_lessons(instance, user=user)


def connect():
    from wagtail.signals import task_submitted as task_submitted_signal
    from wagtail.signals import workflow_approved as workflow_approved_signal

    task_submitted_signal.connect(task_submitted, dispatch_uid="courses_review_task_submitted")
    workflow_approved_signal.connect(workflow_approved, dispatch_uid="courses_review_workflow_approved")
