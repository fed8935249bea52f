from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Сайт и план противодействия коррупции")

    def ready(self):
        from people.demo import register_builder

        from . import moderation
        from .demo import build_demo_materials

        moderation.connect()
        register_builder(build_demo_materials)
