"""The lessons that go to review with their course (``courses.review``).

When a course starts a round of review (a task of the moderation workflow starts on it), each of its
lessons that is new or has unpublished changes is bound to that round with the revision it had then.
Approving the course publishes exactly these revisions; nothing saved later is published unseen.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseReviewLesson(models.Model):
    task_state = models.ForeignKey(
        "wagtailcore.TaskState",
        verbose_name=_("этап проверки курса"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("урок"),
        on_delete=models.CASCADE,
        related_name="review_entries",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("версия урока"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    is_new = models.BooleanField(_("новый урок"), help_text=_("Урок ещё не был опубликован."))

    class Meta:
        verbose_name = _("урок на проверке вместе с курсом")
        verbose_name_plural = _("уроки на проверке вместе с курсом")
        constraints = [
            models.UniqueConstraint(fields=["task_state", "lesson"], name="course_review_lesson_once")
        ]

    def __str__(self):
        return f"{self.lesson_id} @ {self.revision_id}"
