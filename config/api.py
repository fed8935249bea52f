"""The project's versioned JSON API (django-ninja): session authentication with CSRF.

Each app contributes a ``Router``; the OpenAPI schema is at /api/v1/openapi.json and the
interactive docs at /api/v1/docs.
"""

from ninja import NinjaAPI
from ninja.security import django_auth

from quizzes.api.errors import install as install_quiz_errors

api = NinjaAPI(
    title="Антикор: обучение — API",
    version="1",
    description="Прохождение дистанционного тестирования: мои тесты, попытки, ответы, результаты.",
    auth=django_auth,
    urls_namespace="api-v1",
)
install_quiz_errors(api)  # every error as {"detail": "…"} in Russian
api.add_router("/tests/", "quizzes.api.router.router")
