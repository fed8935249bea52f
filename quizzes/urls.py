"""Servant-facing pages of remote testing (mounted at /tests/)."""

app_name = "quizzes"

urlpatterns = []
