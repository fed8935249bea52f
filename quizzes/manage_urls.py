"""Manager pages of remote testing: campaign results, the live monitor and the operations on one person's
test (mounted at /manage/tests/)."""

from django.urls import path

from . import manage_operations as operations
from . import manage_views as views
from . import protocol_views

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
    path(
        "campaigns/<int:pk>/municipalities/<int:municipality_pk>/protocol.pdf",
        protocol_views.municipality_protocol,
        name="municipality_protocol",
    ),
    path(
        "campaigns/<int:pk>/regional-bodies/protocol.pdf",
        protocol_views.regional_protocol,
        name="regional_protocol",
    ),
    path("campaigns/<int:pk>/people/", views.campaign_people, name="people"),
    path("campaigns/<int:pk>/items/", views.item_analysis, name="items"),
    path("campaigns/<int:pk>/topics/", views.weak_topics, name="topics"),
    path("campaigns/<int:pk>/monitor/", views.monitor, name="monitor"),
    # Operations on one person's test (docs/campaign-season.md)
    path("campaigns/<int:pk>/people/<int:person_pk>/", operations.person, name="person"),
    path(
        "campaigns/<int:pk>/people/<int:person_pk>/extra-time/",
        operations.person_extra_time,
        name="person_extra_time",
    ),
    path(
        "campaigns/<int:pk>/people/<int:person_pk>/extra-attempt/",
        operations.person_extra_attempt,
        name="person_extra_attempt",
    ),
    path("campaigns/<int:pk>/sittings/<int:sitting_pk>/", operations.sitting, name="sitting"),
    path(
        "campaigns/<int:pk>/sittings/<int:sitting_pk>/reset/", operations.sitting_reset, name="sitting_reset"
    ),
    path(
        "campaigns/<int:pk>/sittings/<int:sitting_pk>/questions/<int:question_pk>/override/",
        operations.answer_override,
        name="answer_override",
    ),
    path("campaigns/<int:pk>/regrade/", operations.campaign_regrade, name="regrade"),
]
