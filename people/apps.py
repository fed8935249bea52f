from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Люди и организации")

    def ready(self):
        from . import checks, signals  # noqa: F401
        from .mail import privacy as mail_privacy
        from .privacy import anonymize, my_data

        anonymize.register()
        my_data.register()
        mail_privacy.register()
