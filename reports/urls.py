"""The manager dashboard (drill-down pages)."""

app_name = "reports"

urlpatterns: list = []
