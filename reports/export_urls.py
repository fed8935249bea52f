"""Exports (XLSX/CSV, background jobs) and the plan-execution report."""

app_name = "reports_exports"

urlpatterns: list = []
