from django.urls import path

from . import manage_views, views
from .scorm import views as scorm_views

app_name = "courses"

urlpatterns = [
    path("<int:pk>/enrol/", views.enrol, name="enrol"),
    path("<int:pk>/final-quiz/", views.start_final_quiz, name="final_quiz"),
    path("lessons/<int:pk>/studied/", views.mark_studied, name="mark_studied"),
    path("lessons/<int:pk>/quiz/<int:quiz_pk>/", views.start_practice_quiz, name="practice_quiz"),
    path(
        "lessons/<int:pk>/scorm/<int:package_pk>/runtime/", scorm_views.package_runtime, name="scorm_runtime"
    ),
    path(
        "lessons/<int:pk>/scorm/<int:package_pk>/files/<path:path>",
        scorm_views.package_file,
        name="scorm_file",
    ),
    path("certificates/<str:number>.png", views.certificate_png, name="certificate_png"),
    path("certificates/<str:number>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("manage/overdue/", manage_views.overdue, name="overdue"),
    path("manage/overdue.csv", manage_views.overdue_csv, name="overdue_csv"),
]
