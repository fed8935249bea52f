from django.urls import path

from . import views

app_name = "contest"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/register/", views.register, name="register"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("<int:pk>/sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("<int:pk>/my/", views.mine, name="mine"),
    path("works/<int:pk>/file/", views.work_file, name="work_file"),
    path("contestants/<int:pk>/consent/", views.consent_file, name="consent_file"),
    path("<int:pk>/jury/", views.jury, name="jury"),
    path("works/<int:pk>/score/", views.score, name="score"),
    path("<int:pk>/manage/", views.manage, name="manage"),
    path("<int:pk>/manage/export/", views.export, name="export"),
    path("works/<int:pk>/place/", views.set_place, name="set_place"),
    path("<int:pk>/publish/", views.publish, name="publish"),
]
