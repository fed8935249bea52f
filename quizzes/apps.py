from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Тестирование")

    def ready(self):
        from . import cabinet, signals

        signals.connect()
        cabinet.register()
