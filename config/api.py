"""The project's versioned JSON API (django-ninja): session authentication with CSRF.

Each app contributes a ``Router``; the OpenAPI schema is at /api/v1/openapi.json and the
interactive docs at /api/v1/docs.
"""

import functools

from django.conf import settings
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import django_auth

from quizzes.api.errors import install as install_quiz_errors


def docs_access(view):
    """The schema and the interactive docs: for staff only unless ``API_DOCS_PUBLIC`` (on in
    development and tests, off in production); anybody else gets a plain 404."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (settings.API_DOCS_PUBLIC or request.user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="Антикор: обучение — API",
    version="1",
    description="Прохождение дистанционного тестирования: мои тесты, попытки, ответы, результаты.",
    auth=django_auth,
    urls_namespace="api-v1",
    docs_decorator=docs_access,
)
install_quiz_errors(api)  # every error as {"detail": "…"} in Russian
api.add_router("/tests/", "quizzes.api.router.router")
