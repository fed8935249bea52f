from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Курсы")

    def ready(self):
        from people.cabinet import register_section
        from people.demo import register_builder
        from people.notices import register_source as register_notice_source
        from quizzes.answerable import register as register_answerable
        from quizzes.result_notes import register as register_result_note

        from . import privacy, review, signals
        from .cabinet import my_courses_section
        from .demo import build_demo_courses
        from .final_results import final_quiz_notes
        from .reminders import my_notices, register_mail_kinds
        from .services import answerable_final_quizzes

        signals.connect()
        review.connect()
        privacy.register()
        register_mail_kinds()
        register_section(my_courses_section)
        register_notice_source(my_notices)
        register_builder(build_demo_courses)
        register_answerable(answerable_final_quizzes)
        register_result_note(final_quiz_notes)
