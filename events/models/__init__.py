from .attendance import Attendance, BroadcastRoom
from .consultations import Consultation, ConsultationMessage, ConsultationTopic
from .contest import AgeGroup, Contest, Contestant, Criterion, Nomination, Score, ScoreSheet, Work
from .feedback import EventFeedback
from .invitations import EventInvitation
from .letters import Letter, LetterAcknowledgement, LetterRecipient, LetterReminder, LetterReminderRecipient
from .pages import EventIndexPage, EventPage, EventSpeaker
from .questions import Question, QuestionVote
from .registrations import Registration

__all__ = [
    "AgeGroup",
    "Attendance",
    "BroadcastRoom",
    "Consultation",
    "ConsultationMessage",
    "ConsultationTopic",
    "Contest",
    "Contestant",
    "Criterion",
    "EventFeedback",
    "EventIndexPage",
    "EventInvitation",
    "EventPage",
    "EventSpeaker",
    "Letter",
    "LetterAcknowledgement",
    "LetterRecipient",
    "LetterReminder",
    "LetterReminderRecipient",
    "Nomination",
    "Question",
    "QuestionVote",
    "Registration",
    "Score",
    "ScoreSheet",
    "Work",
]
