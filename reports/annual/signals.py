"""Publishing a report page freezes its figures and attaches its DOCX (services.publish_report)."""

from wagtail.signals import page_published

from .models import PlanReportPage
from .services import publish_report


def report_published(sender, instance, **kwargs):
    publish_report(instance)


def connect():
    page_published.connect(report_published, sender=PlanReportPage, dispatch_uid="reports_report_published")
