from .attendance import Attendance, BroadcastRoom
from .pages import EventIndexPage, EventPage, EventSpeaker
from .questions import Question, QuestionVote
from .registrations import Registration

__all__ = [
    "Attendance",
    "BroadcastRoom",
    "EventIndexPage",
    "EventPage",
    "EventSpeaker",
    "Question",
    "QuestionVote",
    "Registration",
]
