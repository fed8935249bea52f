"""System checks of people's settings."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def retention_periods(app_configs, **kwargs):
    """Every retention period (``RETENTION_*_YEARS``) is a whole number of years, at least one."""
    from .privacy import rules

    errors = []
    for rule in rules():
        try:
            rule.years()
        except ImproperlyConfigured as exc:
            errors.append(Error(str(exc), id="people.E001", obj=rule.setting))
    return errors
