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

        from . import consultations, contest, letters, privacy, signals
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
        consultations.register()
        contest.register()  # the students' contest (docs/contest.md)
        letters.register()  # letters to municipalities (docs/letters.md)
        self.ready_audience(register_section, register_notice_source)

    def ready_audience(self, register_section, register_notice_source):
        """The audience of events (issue 18): invitations, feedback and their personal data."""
        from . import audience_privacy, invitations
        from .audience_cabinet import feedback_section, invitations_section

        audience_privacy.register()
        invitations.register_mail_kind()
        register_section(invitations_section, order=101)
        register_section(feedback_section, order=102)
        register_notice_source(invitations.my_notices)
