from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Сайт и план противодействия коррупции")

    def ready(self):
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_migrate

        from people.demo import register_builder

        from . import admin_wording, moderation, site_setup
        from .broadcast.sessions import end_session_sockets
        from .demo import build_demo_materials, build_demo_plan

        admin_wording.install()
        moderation.connect()
        post_migrate.connect(site_setup.migrated, dispatch_uid="cms_sync_site_address")
        user_logged_out.connect(end_session_sockets, dispatch_uid="cms_end_session_sockets")
        register_builder(build_demo_plan)
        register_builder(build_demo_materials)
