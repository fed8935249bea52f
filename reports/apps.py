from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Отчёты")

    def ready(self):
        # Tables register themselves on import (see reports.tables).
        # Every file with people in it, whatever app writes it, is entered in this app's audit log.
        from people.personal_exports import register_recorder

        from . import privacy, table_modules  # noqa: F401
        from .exports.audit import record_entry

        register_recorder(record_entry)
        # Retention of the audit log, and the person's own exports in «Мои данные» (people.privacy).
        privacy.register()
        # The annual report: publishing freezes the figures and attaches the DOCX; its demo draft is
        # built last, from what the other builders made (this year's plan, courses, events, campaigns).
        from people.demo import register_builder

        from .annual import signals as annual_signals
        from .annual.demo import build_demo_report
        from .broadcasts.demo import build_demo_broadcast

        annual_signals.connect()
        register_builder(build_demo_report, order=900)
        register_builder(build_demo_broadcast, order=900)
