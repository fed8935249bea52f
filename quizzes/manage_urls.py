"""Manager pages of remote testing: campaign results and the live monitor (mounted at /manage/tests/)."""

app_name = "quizzes_manage"

urlpatterns = []
