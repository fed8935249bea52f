"""The run-time data of a person in a package: what a launch starts from and what a commit records.

The browser (``courses/static/courses/scorm-player.js`` around scorm-again) sends a flat JSON object
with the few data model elements the platform keeps; this module checks each one (type, vocabulary,
length; SCORM 1.2 suspend_data up to 4096 characters, SCORM 2004 up to 64000) and refuses anything else
with :class:`RuntimeDataError`. The rules (docs/scorm.md):

* **Status never goes down.** SCORM 1.2 ``lesson_status`` moves up the order not attempted → browsed →
  incomplete → failed → completed → passed; SCORM 2004 ``completion_status`` up unknown → not attempted
  → incomplete → completed and ``success_status`` up unknown → failed → passed. A lower value sent later
  (a package restarted from the beginning) leaves the recorded one.
* **Completed** means: SCORM 1.2 ``completed`` or ``passed``; SCORM 2004 ``passed``, or ``completed``
  unless the package says ``failed`` (a package with a test that the person failed is not complete
  until they pass it). The first completion marks the lesson studied, which feeds the course's
  completion and certificate like any lesson.
* **Score**: the best one reported (compared as a share of the maximum), so a retake never lowers it.
* **Time**: each launch is a session (a random key made by the browser); the package reports the time of
  the current session, repeated commits of one session replace its time, a new session adds the last
  one's time to the total. A session counts at most ``MAX_SESSION_SECONDS``.
* **Resume**: the suspend data and location are the last ones sent; the next launch gets them with
  ``entry`` = ``resume``.
"""

import math
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import services
from ..models import LessonProgress, ScormRecord
from .errors import RuntimeDataError

MAX_SESSION_SECONDS = 12 * 60 * 60
MAX_BODY_BYTES = 200_000

STATUS_12 = ["not attempted", "browsed", "incomplete", "failed", "completed", "passed"]
COMPLETION_2004 = ["unknown", "not attempted", "incomplete", "completed"]
SUCCESS_2004 = ["unknown", "failed", "passed"]
EXIT_12 = ["", "time-out", "suspend", "logout"]
EXIT_2004 = ["", "time-out", "suspend", "logout", "normal"]
LIMITS = {
    "1.2": {"suspend_data": 4096, "location": 255},
    "2004": {"suspend_data": 64000, "location": 1000},
}
SESSION_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
TIMESPAN_12 = re.compile(r"^(\d{2,4}):([0-5]?\d):([0-5]?\d)(?:\.\d{1,2})?$")
DURATION_2004 = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$"
)
FIELDS = {
    "1.2": {"session", "lesson_status", "score_raw", "score_min", "score_max", "location", "suspend_data",
            "session_time", "exit"},
    "2004": {"session", "completion_status", "success_status", "score_raw", "score_min", "score_max",
             "score_scaled", "location", "suspend_data", "session_time", "exit"},
}  # fmt: skip


# --- reading what was sent --------------------------------------------------------------------------


def _bad(message):
    raise RuntimeDataError(message)


def parse_seconds(value, version):
    """Seconds of a SCORM 1.2 timespan (HHHH:MM:SS.SS) or a SCORM 2004 duration (P…T…H…M…S)."""
    if not isinstance(value, str) or len(value) > 64:
        _bad(_("Время сеанса передано в неверном формате."))
    if version == "1.2":
        match = TIMESPAN_12.match(value)
        if not match:
            _bad(_("Время сеанса передано в неверном формате."))
        hours, minutes, seconds = (int(group) for group in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    match = DURATION_2004.match(value)
    if not match or value in ("P", "PT") or value.endswith("T"):
        _bad(_("Время сеанса передано в неверном формате."))
    years, months, days, hours, minutes = (int(group or 0) for group in match.groups()[:5])
    seconds = float(match.group(6) or 0)
    total = (((years * 365 + months * 30 + days) * 24 + hours) * 60 + minutes) * 60 + seconds
    return int(min(total, 10**9))


def _text(data, name, limit):
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        _bad(_("Поле %(name)s должно быть строкой.") % {"name": name})
    if len(value) > limit:
        _bad(
            _("Поле %(name)s длиннее %(limit)d символов: пакет передал слишком много данных.")
            % {"name": name, "limit": limit}
        )
    if "\x00" in value:
        _bad(_("Поле %(name)s содержит недопустимый символ.") % {"name": name})
    return value


def _choice(data, name, allowed):
    value = data.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in allowed:
        _bad(_("Недопустимое значение поля %(name)s.") % {"name": name})
    return value


def _number(data, name, low, high):
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        _bad(_("Поле %(name)s должно быть числом.") % {"name": name})
    if isinstance(value, str):
        if len(value) > 32:
            _bad(_("Поле %(name)s должно быть числом.") % {"name": name})
        try:
            value = float(value)
        except ValueError:
            _bad(_("Поле %(name)s должно быть числом.") % {"name": name})
    if not isinstance(value, int | float) or not math.isfinite(value) or not low <= value <= high:
        _bad(
            _("Поле %(name)s должно быть числом от %(low)s до %(high)s.")
            % {"name": name, "low": low, "high": high}
        )
    return float(value)


def clean_commit(data, version):
    """The checked values of a commit (absent or empty elements as None); :class:`RuntimeDataError`."""
    if not isinstance(data, dict):
        _bad(_("Ожидался объект JSON."))
    unknown = set(data) - FIELDS[version]
    if unknown:
        _bad(_("Неизвестные поля: %(names)s.") % {"names": ", ".join(sorted(map(str, unknown)))[:200]})
    session = data.get("session")
    if not isinstance(session, str) or not SESSION_KEY.match(session):
        _bad(_("Не передан ключ сеанса."))
    limits = LIMITS[version]
    cleaned = {
        "session": session,
        "location": _text(data, "location", limits["location"]),
        "suspend_data": _text(data, "suspend_data", limits["suspend_data"]),
        "exit": _choice(data, "exit", EXIT_12 if version == "1.2" else EXIT_2004),
        "session_seconds": None,
    }
    if data.get("session_time") not in (None, ""):
        cleaned["session_seconds"] = min(parse_seconds(data["session_time"], version), MAX_SESSION_SECONDS)
    if version == "1.2":
        cleaned["lesson_status"] = _choice(data, "lesson_status", STATUS_12)
        for name in ("score_raw", "score_min", "score_max"):
            cleaned[name] = _number(data, name, 0, 100)
        cleaned["score_scaled"] = None
    else:
        cleaned["completion_status"] = _choice(data, "completion_status", COMPLETION_2004)
        cleaned["success_status"] = _choice(data, "success_status", SUCCESS_2004)
        for name in ("score_raw", "score_min", "score_max"):
            cleaned[name] = _number(data, name, -1e9, 1e9)
        cleaned["score_scaled"] = _number(data, "score_scaled", -1, 1)
    return cleaned


# --- the rules ----------------------------------------------------------------------------------------


def higher(current, new, order):
    """``new`` if it is further up ``order`` than ``current``, else ``current`` (never lower)."""
    if new is None:
        return current
    if not current or current not in order:
        return new
    return new if order.index(new) > order.index(current) else current


def is_done(record, version):
    if version == "1.2":
        return record.lesson_status in ("completed", "passed")
    if record.success_status == "passed":
        return True
    return record.completion_status == "completed" and record.success_status != "failed"


def score_share(raw, low, high, scaled):
    """The score as a share of the maximum, to compare two results; None without a score."""
    if scaled is not None:
        return scaled
    if raw is None:
        return None
    low = 0 if low is None else low
    high = 100 if high is None else high
    return (raw - low) / (high - low) if high > low else raw


def apply_commit(record, cleaned, version, now):
    """Apply checked values to a record (unsaved) by the rules above."""
    if version == "1.2":
        record.lesson_status = higher(record.lesson_status, cleaned["lesson_status"], STATUS_12)
    else:
        record.completion_status = higher(
            record.completion_status, cleaned["completion_status"], COMPLETION_2004
        )
        record.success_status = higher(record.success_status, cleaned["success_status"], SUCCESS_2004)
    new_share = score_share(
        cleaned["score_raw"], cleaned["score_min"], cleaned["score_max"], cleaned["score_scaled"]
    )
    old_share = score_share(record.score_raw, record.score_min, record.score_max, record.score_scaled)
    if new_share is not None and (old_share is None or new_share >= old_share):
        record.score_raw, record.score_min = cleaned["score_raw"], cleaned["score_min"]
        record.score_max, record.score_scaled = cleaned["score_max"], cleaned["score_scaled"]
    if cleaned["location"] is not None:
        record.location = cleaned["location"]
    if cleaned["suspend_data"] is not None:
        record.suspend_data = cleaned["suspend_data"]
    if cleaned["exit"] is not None:
        record.exit = cleaned["exit"]
    seconds = cleaned["session_seconds"]
    if cleaned["session"] != record.session_key:
        record.total_seconds += record.session_seconds
        record.session_key, record.session_seconds = cleaned["session"], 0
    if seconds is not None:
        record.session_seconds = max(record.session_seconds, seconds)
    record.updated_at = now
    if record.completed_at is None and is_done(record, version):
        record.completed_at = now


def commit(access, data, now=None):
    """Record a commit of the person's run (``access`` from :func:`courses.scorm.access.package_access`,
    a recording one); returns the record. A first completion marks the lesson studied."""
    now = now or timezone.now()
    version = access.package.version
    cleaned = clean_commit(data, version)
    with transaction.atomic():
        record, _created = ScormRecord.objects.select_for_update().get_or_create(
            enrollment=access.enrollment,
            lesson=access.lesson,
            package=access.package,
            defaults={"started_at": now, "updated_at": now},
        )
        apply_commit(record, cleaned, version, now)
        record.save()
    if record.is_completed:
        studied = LessonProgress.objects.filter(
            enrollment=access.enrollment, lesson=access.lesson, studied_at__isnull=False
        ).exists()
        if not studied:
            services.mark_studied(access.enrollment, access.lesson, now=now, by_package=True)
    return record


# --- a launch -------------------------------------------------------------------------------------------


def format_timespan_12(seconds):
    hours, rest = divmod(int(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{min(hours, 9999):04d}:{minutes:02d}:{seconds:02d}.00"


def format_duration_2004(seconds):
    hours, rest = divmod(int(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"PT{hours}H{minutes}M{seconds}S"


def _number_text(value):
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def learner_name(user):
    """ "Фамилия, Имя" as SCORM wants the learner's name."""
    last, first = (user.last_name or "").strip(), (user.first_name or "").strip()
    return f"{last}, {first}" if last and first else (last or first or user.get_username())


def launch_state(access):
    """The data model a launch starts from, as scorm-again's ``loadFromJSON`` takes it."""
    user = access.enrollment.user if access.enrollment else None
    record = None
    if access.enrollment is not None:
        record = ScormRecord.objects.filter(
            enrollment=access.enrollment, lesson=access.lesson, package=access.package
        ).first()
    resume = bool(record and (record.suspend_data or record.location or record.exit == "suspend"))
    total = record.time_spent_seconds if record else 0
    score = {}
    if record and record.score_raw is not None:
        score = {"raw": _number_text(record.score_raw), "min": _number_text(record.score_min),
                 "max": _number_text(record.score_max)}  # fmt: skip
    learner_id = str(user.pk) if user else "preview"
    name = learner_name(user) if user else _("Предпросмотр")
    if access.package.version == "1.2":
        core = {
            "student_id": learner_id,
            "student_name": name,
            "lesson_location": record.location if record else "",
            "lesson_status": (record.lesson_status if record else "") or "not attempted",
            "entry": "resume" if resume else "ab-initio",
            "total_time": format_timespan_12(total),
            "score": score,
        }
        cmi = {"core": core, "suspend_data": record.suspend_data if record else ""}
    else:
        if record and record.score_scaled is not None:
            score["scaled"] = _number_text(record.score_scaled)
        cmi = {
            "learner_id": learner_id,
            "learner_name": name,
            "location": record.location if record else "",
            "completion_status": (record.completion_status if record else "") or "not attempted",
            "success_status": (record.success_status if record else "") or "unknown",
            "entry": "resume" if resume else "ab-initio",
            "total_time": format_duration_2004(total),
            "suspend_data": record.suspend_data if record else "",
            "score": score,
        }
    return {"version": access.package.version, "records": access.records, "cmi": cmi}
