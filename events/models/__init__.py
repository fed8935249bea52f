from .attendance import Attendance, BroadcastRoom
from .pages import EventIndexPage, EventPage, EventSpeaker
from .registrations import Registration

__all__ = ["Attendance", "BroadcastRoom", "EventIndexPage", "EventPage", "EventSpeaker", "Registration"]
