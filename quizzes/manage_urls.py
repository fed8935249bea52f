"""Manager pages of remote testing: campaign results and the live monitor (mounted at /manage/tests/)."""

from django.urls import path

from . import manage_views as views

app_name = "quizzes_manage"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_results, name="results"),
    path("campaigns/<int:pk>/results.csv", views.export_municipalities, name="export"),
    path("campaigns/<int:pk>/organizations/", views.campaign_organizations, name="organizations"),
    path(
        "campaigns/<int:pk>/municipalities/<int:municipality_pk>/",
        views.campaign_organizations,
        name="municipality",
    ),
    path(
        "campaigns/<int:pk>/municipalities/<int:municipality_pk>/people/",
        views.campaign_people,
        name="municipality_people",
    ),
    path(
        "campaigns/<int:pk>/organizations/<int:organization_pk>/people/",
        views.campaign_people,
        name="organization_people",
    ),
    path("campaigns/<int:pk>/people/", views.campaign_people, name="people"),
    path("campaigns/<int:pk>/items/", views.item_analysis, name="items"),
    path("campaigns/<int:pk>/topics/", views.weak_topics, name="topics"),
    path("campaigns/<int:pk>/monitor/", views.monitor, name="monitor"),
]
