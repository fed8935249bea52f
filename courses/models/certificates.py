"""Certificates of completed courses, verifiable by anyone who has the code."""

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import codes

NUMBER_PREFIX = "АК"


def new_verification_code():
    """A code to type or scan (``courses.codes``). Certificates issued before it keep their
    ``secrets.token_urlsafe(12)`` codes, which still verify when given exactly."""
    return codes.new_code()


def add_months(date, months):
    """The same day ``months`` later (the last day of the month when that day does not exist)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def format_number(year, sequence):
    """«АК-2024-000123»."""
    return f"{NUMBER_PREFIX}-{year}-{sequence:06d}"


class CertificateQuerySet(models.QuerySet):
    def of_year(self, year):
        return self.filter(number__startswith=f"{NUMBER_PREFIX}-{year}-")

    def last_sequence(self, year):
        """The sequence part of the year's highest number (numbers are zero-padded), or 0."""
        last = self.of_year(year).order_by("-number").values_list("number", flat=True).first()
        return int(last.rsplit("-", 1)[1]) if last else 0

    def by_code(self, typed):
        """The certificate whose code was typed (case, spaces, dashes and look-alike letters forgiven),
        or ``None``. An older code (case-sensitive, before ``courses.codes``) is found when given exactly."""
        typed = str(typed).strip()
        candidates = {typed, codes.normalize(typed)} - {None, ""}
        return self.filter(code__in=candidates).first() if candidates else None


class Certificate(models.Model):
    number = models.CharField(_("номер"), max_length=32, unique=True)
    code = models.CharField(
        _("код проверки"), max_length=32, unique=True, default=new_verification_code, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("слушатель"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    holder_name = models.CharField(
        _("фамилия, имя, отчество"), max_length=500, help_text=_("Как на дату выдачи.")
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("курс"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    course_title = models.CharField(_("название курса"), max_length=500, help_text=_("Как на дату выдачи."))
    hours = models.DecimalField(_("объём, академических часов"), max_digits=5, decimal_places=1)
    issued_at = models.DateTimeField(_("выдан"), default=timezone.now)
    valid_until = models.DateField(_("действителен до"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("сертификат")
        verbose_name_plural = _("сертификаты")
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("courses:certificate_png", args=[self.number])

    def get_pdf_url(self):
        return reverse("courses:certificate_pdf", args=[self.number])

    def get_verify_url(self):
        return reverse("certificate_verify", args=[self.code])

    @property
    def issued_on(self):
        return timezone.localdate(self.issued_at)

    def is_valid(self, today=None):
        today = today or timezone.localdate()
        return self.valid_until is None or today <= self.valid_until
