from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Тестирование")

    def ready(self):
        from people.demo import register_builder

        from . import cabinet, privacy, signals
        from .demo import build_demo_quizzes
        from .notices import register_mail_kinds

        signals.connect()
        cabinet.register()
        privacy.register()
        register_mail_kinds()
        register_builder(build_demo_quizzes)
