from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Люди и организации")

    def ready(self):
        from . import checks, signals  # noqa: F401
        from .broadcasts import privacy as broadcast_privacy
        from .broadcasts.services import my_notices as broadcast_notices
        from .broadcasts.services import register_mail_kind as register_broadcast_mail
        from .cabinet import register_section
        from .mail import privacy as mail_privacy
        from .notices import notices_section, register_source
        from .privacy import anonymize, my_data

        anonymize.register()
        my_data.register()
        mail_privacy.register()
        register_section(notices_section, order=10)
        broadcast_privacy.register()
        register_broadcast_mail()
        register_source(broadcast_notices)
