from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api
from config.views import healthz
from courses.views import verify_certificate, verify_form

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("events/", include("events.urls")),
    path("consultations/", include("events.consultations.urls")),
    path("contest/", include("events.contest.urls")),
    path("letters/", include("events.letters.urls")),
    path("api/v1/", api.urls),
    path("tests/", include("quizzes.urls")),
    path("manage/tests/", include("quizzes.manage_urls")),
    path("courses/", include("courses.urls")),
    path("reports/exports/", include("reports.export_urls")),
    path("reports/", include("reports.urls")),
    path("certificates/verify/", verify_form, name="certificate_verify_form"),
    path("certificates/verify/<str:code>/", verify_certificate, name="certificate_verify"),
    path("", include("people.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; keep it last.
urlpatterns += [path("", include(wagtail_urls))]
