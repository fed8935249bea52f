"""Exports (XLSX/CSV, background jobs), the plan-execution report and the export audit log."""

from django.urls import path

from .audit_views import audit_log
from .exports import views

app_name = "reports_exports"

urlpatterns = [
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
    path("plan-report/", views.plan_report, name="plan_report"),
    path("audit/", audit_log, name="audit"),
    path("<slug:key>/", views.export, name="export"),
]
