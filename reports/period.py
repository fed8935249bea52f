"""The reporting period: a calendar year by default, or any date range."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

# Reports cover the platform's years; a date outside them is a typo (and 9999-12-31 overflows date
# arithmetic).
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def year(cls, year):
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def current_year(cls):
        return cls.year(timezone.localdate().year)

    @classmethod
    def from_params(cls, params):
        """Read ``year`` or ``start``/``end`` (ISO dates) from a query dict; bad input raises ValueError
        with a Russian message, a missing one gives the current year."""
        start, end = params.get("start"), params.get("end")
        if start or end:
            try:
                period = cls(date.fromisoformat(start), date.fromisoformat(end))
            except (TypeError, ValueError):
                raise ValueError(_("Укажите начало и конец периода в формате ГГГГ-ММ-ДД.")) from None
            if period.start > period.end:
                raise ValueError(_("Начало периода позже его конца."))
            if not (period.start.year >= FIRST_YEAR and period.end.year <= LAST_YEAR):
                raise ValueError(
                    _("Период должен лежать в пределах %(first)s–%(last)s годов.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR}
                )
            return period
        year = params.get("year")
        if year:
            try:
                year = int(year)
            except ValueError:
                raise ValueError(_("Год указан неверно.")) from None
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise ValueError(_("Год указан неверно."))
            return cls.year(year)
        return cls.current_year()

    def as_params(self):
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def __str__(self):
        if self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31):
            return _("%(year)s год") % {"year": self.start.year}
        return f"{self.start:%d.%m.%Y} — {self.end:%d.%m.%Y}"
