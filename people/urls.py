from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import roster_views, views
from .forms import SiteLoginForm
from .invitations import views as invitation_views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SiteLoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("password_reset_complete")),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Invitations: the set-password link of the letter, and the one-time code of the printed list.
    path(
        "invitation/<uidb64>/<token>/",
        invitation_views.InvitationConfirmView.as_view(),
        name="invitation_confirm",
    ),
    path("password/code/", invitation_views.password_code, name="password_code"),
    path("cabinet/", views.cabinet, name="cabinet"),
    path("cabinet/my-data/", views.my_data, name="my_data"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("manage/audiences/", roster_views.audience_list, name="audience_rosters"),
    path("manage/audiences/<int:pk>/", roster_views.audience_roster, name="audience_roster"),
]
