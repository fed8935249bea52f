"""Editor panels of the course pages."""

from wagtail.admin.panels import Panel


class CourseReviewPanel(Panel):
    """The course's review, in the editor of the course and of each of its lessons: what goes to review
    with the course, what is under review (with links to each lesson's version and its changes), and
    the reviewer's comment when the course was returned. Context from ``courses.review.panel_context``."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/review_panel.html"

        def is_shown(self):
            from .models import LessonPage

            return bool(self.instance.pk) or isinstance(self.instance, LessonPage)

        def get_context_data(self, parent_context=None):
            from .review import panel_context

            context = super().get_context_data(parent_context)
            context.update(panel_context(self.instance, parent=getattr(self.form, "parent_page", None)))
            return context
