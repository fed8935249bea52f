from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Мероприятия")

    def ready(self):
        from people.cabinet import register_section
        from people.demo import register_builder
        from people.notices import register_source as register_notice_source
        from quizzes.answerable import register as register_answerable

        from . import privacy, signals
        from .cabinet import answerable_follow_up_quizzes, my_events_section, my_notices
        from .demo import build_demo_events
        from .services import register_mail_kinds

        signals.connect()
        privacy.register()
        register_mail_kinds()
        register_section(my_events_section)
        register_notice_source(my_notices)
        register_builder(build_demo_events)
        register_answerable(answerable_follow_up_quizzes)
