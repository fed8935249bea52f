from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.new, name="new"),
    path("manage/<int:pk>/", views.status, name="status"),
    path("manage/<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
]
