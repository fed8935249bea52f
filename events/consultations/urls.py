from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("ask/", views.ask, name="ask"),
    path("manage/", views.manage, name="manage"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/attachment/", views.attachment, name="attachment"),
    path("<int:pk>/publish/", views.publish, name="publish"),
]
