from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Люди и организации")

    def ready(self):
        from . import checks, signals  # noqa: F401
        from .cabinet import register_section
        from .mail import privacy as mail_privacy
        from .notices import notices_section
        from .privacy import anonymize, my_data

        anonymize.register()
        my_data.register()
        mail_privacy.register()
        register_section(notices_section, order=10)
