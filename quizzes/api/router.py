"""The test-taking JSON API (mounted by config/api.py at /api/v1/tests/).

Session authentication with CSRF for unsafe methods (the API instance's ``django_auth``); every error
is ``{"detail": "..."}`` in Russian (:mod:`quizzes.api.errors`).
"""

from ninja import Router

from . import campaigns, sittings

router = Router(tags=["Тестирование"])
router.add_router("", campaigns.router)
router.add_router("", sittings.router)
