"""The test-taking JSON API (mounted by config/api.py at /api/v1/tests/)."""

from ninja import Router

router = Router(tags=["Тестирование"])
