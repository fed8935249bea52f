from .campaigns import start_campaign_sitting
from .sittings import (
    build_sitting,
    catch_up,
    finish_overdue,
    finish_sitting,
    grade_response,
    save_answer,
    save_my_answer,
    start_sitting,
)

__all__ = [
    "build_sitting",
    "catch_up",
    "finish_overdue",
    "finish_sitting",
    "grade_response",
    "save_answer",
    "save_my_answer",
    "start_campaign_sitting",
    "start_sitting",
]
