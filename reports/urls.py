"""The manager dashboard (drill-down pages): region → municipality → organization → people."""

from django.urls import path

from .dashboard import views
from .plan import views as plan_views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # ``municipality``: an id, or "regional" for the regional bodies (regional managers only)
    path("municipalities/<str:municipality>/", views.municipality, name="municipality"),
    path("municipalities/<str:municipality>/people/", views.people, name="municipality_people"),
    # one person's training record (within the manager's scope) and its workbook (POST, audited)
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/record.xlsx", views.person_xlsx, name="person_xlsx"),
    # ``organization``: an id, or "none" for the people without an organization
    path(
        "municipalities/<str:municipality>/organizations/<str:organization>/",
        views.people,
        name="organization",
    ),
    # A plan item's figures per municipality, and per organization of one municipality.
    path("plan/<int:year>/<str:number>/", plan_views.plan_item, name="plan_item"),
    path(
        "plan/<int:year>/<str:number>/municipalities/<int:municipality>/",
        plan_views.plan_item,
        name="plan_item_municipality",
    ),
]
