"""Apply the retention periods of personal data (see :mod:`people.privacy`): anonymize people inactive
past ``RETENTION_LEAVERS_YEARS``, erase old answers, delete old live questions, export-audit and login
log entries. Idempotent, one transaction per kind; run nightly::

    40 3 * * *  cd /srv/antikor && .venv/bin/python manage.py apply_retention --quiet
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.privacy import apply_retention


class Command(BaseCommand):
    @property
    def help(self):  # a str, not a lazy string: argparse formats the description with re
        return _(
            "Применяет сроки хранения персональных данных: обезличивает уволившихся, удаляет старые "
            "ответы в тестах, вопросы участников мероприятий, записи журналов выгрузок и входов "
            "(запускайте раз в сутки по cron)."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Только посчитать, ничего не менять.")
        )
        parser.add_argument("--quiet", action="store_true", help=gettext_lazy("Ничего не выводить."))

    def handle(self, *args, dry_run=False, quiet=False, **options):
        now = timezone.now()
        try:
            outcomes = apply_retention(now=now, dry_run=dry_run)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        if quiet:
            return
        if dry_run:
            self.stdout.write(_("Пробный запуск, ничего не изменено."))
        for outcome in outcomes:
            rule = outcome.rule
            self.stdout.write(
                _("%(label)s — срок хранения %(period)s, граница %(cutoff)s: %(action)s %(count)s.")
                % {
                    "label": rule.label,
                    "period": rule.period_text(),
                    "cutoff": f"{timezone.localtime(outcome.cutoff):%d.%m.%Y}",
                    "action": rule.would if dry_run else rule.done,
                    "count": outcome.count,
                }
            )
