from .attendance import Attendance, BroadcastRoom
from .consultations import Consultation, ConsultationMessage, ConsultationTopic
from .feedback import EventFeedback
from .invitations import EventInvitation
from .pages import EventIndexPage, EventPage, EventSpeaker
from .questions import Question, QuestionVote
from .registrations import Registration

__all__ = [
    "Attendance",
    "BroadcastRoom",
    "Consultation",
    "ConsultationMessage",
    "ConsultationTopic",
    "EventFeedback",
    "EventIndexPage",
    "EventInvitation",
    "EventPage",
    "EventSpeaker",
    "Question",
    "QuestionVote",
    "Registration",
]
