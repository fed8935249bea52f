"""Wagtail admin views of the testing area (registered in ``quizzes/wagtail_hooks.py``)."""
