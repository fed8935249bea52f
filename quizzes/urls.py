"""Servant-facing pages of remote testing (mounted at /tests/)."""

from django.urls import path

from .views import sheets, taking

app_name = "quizzes"

urlpatterns = [
    path("", taking.campaign_list, name="my_campaigns"),
    path("campaigns/<int:campaign_id>/", taking.campaign_detail, name="campaign"),
    path("sittings/<int:sitting_id>/", taking.take, name="take"),
    path("sittings/<int:sitting_id>/result/", taking.result, name="result"),
    path("sittings/<int:sitting_id>/result.pdf", sheets.result_sheet_pdf, name="result_sheet"),
]
