from django.urls import path

from . import audience_views, views

app_name = "events"

urlpatterns = [
    path("upcoming.ics", views.upcoming_ics, name="upcoming_ics"),
    path("<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/stream/", views.stream, name="stream"),
    path("<int:pk>/questions/", views.ask_question, name="ask_question"),
    path("<int:pk>/questions/<int:question_pk>/upvote/", views.upvote_question, name="upvote_question"),
    path("<int:pk>/questions/<int:question_pk>/moderate/", views.moderate_question, name="moderate_question"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/rooms/", views.choose_room, name="choose_room"),
    path("<int:pk>/rooms/<int:municipality_pk>/", views.room_report, name="room_report"),
    path("<int:pk>/attendance.xlsx", views.attendance_xlsx, name="attendance_xlsx"),
    # the audience (issue 18): invitations, the feedback form after the event and its results
    path("<int:pk>/invitations/", audience_views.invitations_page, name="invitations"),
    path("<int:pk>/feedback/", audience_views.feedback_page, name="feedback"),
    path("<int:pk>/feedback/results/", audience_views.feedback_results, name="feedback_results"),
]
