from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Тестирование")

    def ready(self):
        from people.demo import register_builder

        from . import cabinet, privacy, signals
        from .demo import build_demo_quizzes

        signals.connect()
        cabinet.register()
        privacy.register()
        register_builder(build_demo_quizzes)
