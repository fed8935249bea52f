"""The manager dashboard (drill-down pages): region → municipality → organization → people."""

from django.urls import path

from .dashboard import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # ``municipality``: an id, or "regional" for the regional bodies (regional managers only)
    path("municipalities/<str:municipality>/", views.municipality, name="municipality"),
    path("municipalities/<str:municipality>/people/", views.people, name="municipality_people"),
    # ``organization``: an id, or "none" for the people without an organization
    path(
        "municipalities/<str:municipality>/organizations/<str:organization>/",
        views.people,
        name="organization",
    ),
]
