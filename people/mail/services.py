"""Queueing and delivering mail (see :mod:`people.mail`)."""

import datetime
import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import BadHeaderError, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..links import public_hostname
from .kinds import kind_of
from .models import OutgoingMail

logger = logging.getLogger(__name__)

Status = OutgoingMail.Status
WINDOW = datetime.timedelta(minutes=1)  # MAIL_RATE_PER_MINUTE counts attempts within this window
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)  # a batch taken by a worker that died goes back
MAX_RETRY_DELAY = datetime.timedelta(hours=6)
WRITE_BATCH = 500
ERROR_MAX = 2000


@dataclass
class Message:
    """One message to one recipient, as the outbox stores it."""

    to: str
    subject: str
    body: str
    kind: str
    person: object = None
    html: str = ""
    headers: dict = field(default_factory=dict)
    from_email: str = ""
    priority: int | None = None


def enqueue(*, to, subject, body, kind, person=None, html="", headers=None, from_email="", priority=None):
    """Queue one message (in the caller's transaction) and have it delivered after the commit."""
    message = Message(to, subject, body, kind, person, html, dict(headers or {}), from_email, priority)
    return enqueue_many([message])[0]


def enqueue_pending(records, build, what, mail_field=None):
    """Queue the letter of each record of a notices run (``build(record)`` → :class:`Message`), each
    in a transaction of its own, so that one bad address does not stop the others; then mark the
    records ``"sent"`` (handed to the outbox, with ``sent_at``) or ``"failed"``. ``records`` is a
    queryset of a model with ``status`` and ``sent_at`` (course reminders, campaign notices);
    ``what`` names them in the log. With ``mail_field`` (a foreign key of the model to
    :class:`OutgoingMail`), each queued record is linked to its letter. Returns how many were queued."""
    queued, failed, letters = [], [], {}
    with translation.override(settings.LANGUAGE_CODE):
        for record in records:
            try:
                with transaction.atomic():
                    letter = enqueue(**vars(build(record)))
            except Exception:  # one bad address must not stop the others
                logger.exception("%s %s could not be queued", what, record.pk)
                failed.append(record.pk)
            else:
                queued.append(record.pk)
                letters[record.pk] = letter
    model = records.model._default_manager
    model.filter(pk__in=queued).update(status="sent", sent_at=timezone.now())
    model.filter(pk__in=failed).update(status="failed")
    if mail_field and letters:
        linked = [records.model(pk=pk, **{mail_field: letter}) for pk, letter in letters.items()]
        model.bulk_update(linked, [mail_field], batch_size=WRITE_BATCH)
    return len(queued)


def enqueue_many(messages):
    """Queue several messages with one insert; returns the :class:`OutgoingMail` rows.

    Raises ``ValueError`` for a recipient that is not an e-mail address (nothing is queued then).
    """
    messages = list(messages)
    if not messages:
        return []
    now = timezone.now()
    people = _people_by_address([m.to for m in messages if m.person is None])
    rows = []
    for message in messages:
        address = _address(message.to)
        kind = kind_of(message.kind)
        rows.append(
            OutgoingMail(
                kind=kind.code,
                recipient=message.to.strip(),
                person=message.person if message.person is not None else people.get(address),
                from_email=message.from_email or "",
                subject=" ".join(str(message.subject).split())[:998],
                body=str(message.body),
                html=str(message.html or ""),
                headers={str(name): str(value) for name, value in (message.headers or {}).items()},
                priority=kind.priority if message.priority is None else message.priority,
                created_at=now,
                next_attempt_at=now,
            )
        )
    created = OutgoingMail.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    transaction.on_commit(request_delivery, robust=True)
    return created


def is_address(recipient):
    """Would the outbox take ``recipient`` (an e-mail address, optionally with a name)?"""
    try:
        _address(recipient)
    except ValueError:
        return False
    return True


def _address(recipient):
    from django.core.validators import validate_email

    _name, address = parseaddr(str(recipient))
    try:
        validate_email(address)
    except Exception:
        raise ValueError(_("«%(value)s» — не адрес электронной почты.") % {"value": recipient}) from None
    return address.lower()


def _people_by_address(recipients):
    from ..models import User

    addresses = set()
    for recipient in recipients:
        try:
            addresses.add(_address(recipient))
        except ValueError:
            continue
    if not addresses:
        return {}
    return {person.email: person for person in User.objects.filter(email__in=addresses)}


# --- asking the worker ---------------------------------------------------------------------------


def request_delivery(after=None):
    """Have the task worker run the outbox now, or at ``after`` (when its backend can defer tasks).

    No second request is queued while one that will run by then is waiting. Returns whether a task
    was queued (with the immediate backend of development and tests it has already run).
    """
    from ..tasks import send_mail_queue

    backend = send_mail_queue.get_backend()
    if after is not None and not backend.supports_defer:
        return False  # the next request or `manage.py send_mail_queue` (cron) picks the rest up
    if _already_requested(send_mail_queue, backend, after or timezone.now()):
        return False
    (send_mail_queue.using(run_after=after) if after is not None else send_mail_queue).enqueue()
    return True


def _already_requested(task, backend, by):
    try:
        from django_tasks import TaskResultStatus
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult, get_date_max
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return False
    if not isinstance(backend, DatabaseBackend):
        return False
    ready = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)
    return ready.filter(Q(run_after=get_date_max()) | Q(run_after__lte=by)).exists()


# --- delivering ----------------------------------------------------------------------------------


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0  # failed for good in this run
    retrying: int = 0  # failed in this run, to be tried again
    next_run: datetime.datetime | None = None  # when something will be due next


def remaining_budget(now):
    """How many messages may still be attempted in the minute before ``now``."""
    used = OutgoingMail.objects.filter(Q(last_attempt_at__gt=now - WINDOW) | Q(status=Status.SENDING)).count()
    return max(0, settings.MAIL_RATE_PER_MINUTE - used)


def deliver_due(now=None):
    """Send what is due, within the rate limit; returns a :class:`DeliveryResult`.

    Call outside a transaction: each message's outcome is written as soon as it is known.
    """
    now = now or timezone.now()
    release_stale_claims(now)
    result = DeliveryResult()
    budget = remaining_budget(now)
    if budget > 0:
        claimed = _claim(now, budget)
        if claimed:
            _send(claimed, result)
    result.next_run = next_run_at(timezone.now())
    return result


def release_stale_claims(now):
    """Messages taken by a run that never finished (a killed worker) wait again."""
    return OutgoingMail.objects.filter(status=Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT).update(
        status=Status.WAITING, claim=None, claimed_at=None
    )


def _claim(now, budget):
    """Mark up to ``budget`` due messages as this run's; of two parallel runs only one gets each."""
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(OutgoingMail.objects.due(now).values_list("pk", flat=True)[:budget])
        if ids:
            OutgoingMail.objects.filter(pk__in=ids, status=Status.WAITING).update(
                status=Status.SENDING, claim=token, claimed_at=now
            )
    return list(OutgoingMail.objects.filter(claim=token).order_by("priority", "next_attempt_at", "pk"))


def _delivery_connection():
    path = settings.EMAIL_DELIVERY_BACKEND
    if path.endswith("people.mail.backends.OutboxBackend"):
        raise ImproperlyConfigured("EMAIL_DELIVERY_BACKEND must not be the outbox itself.")
    return get_connection(backend=path, fail_silently=False)


def build_message(mail, connection=None):
    """The :class:`EmailMultiAlternatives` for one queued message (its Message-ID is the same on
    every attempt, so a receiving server can tell a retry from a new letter)."""
    headers = {
        "Auto-Submitted": "auto-generated",
        "Message-ID": f"<mail.{mail.pk}.{int(mail.created_at.timestamp())}@{public_hostname()}>",
        **(mail.headers or {}),
    }
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[mail.recipient],
        headers=headers,
        connection=connection,
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


# Errors of the mail server as a whole (it cannot be reached, refuses us or our sender): the rest of
# the batch would fail the same way, so it is left for the next attempt.
SERVER_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPNotSupportedError,
    smtplib.SMTPSenderRefused,
)
# Errors of this message alone that no retry can fix.
MESSAGE_ERRORS = (ValueError, TypeError, UnicodeError, BadHeaderError)


def _send(claimed, result):
    connection = _delivery_connection()
    try:
        for index, mail in enumerate(claimed):
            try:
                build_message(mail, connection).send()
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _message in exc.recipients.values()]
                _failed(mail, exc, permanent=bool(codes) and min(codes) >= 500, result=result)
            except SERVER_ERRORS as exc:
                for rest in claimed[index:]:
                    _failed(rest, exc, permanent=False, result=result)
                logger.warning(
                    "Mail server error, %s messages wait for the next attempt: %s", len(claimed) - index, exc
                )
                break
            except smtplib.SMTPDataError as exc:
                _failed(mail, exc, permanent=exc.smtp_code >= 500, result=result)
            except MESSAGE_ERRORS as exc:
                _failed(mail, exc, permanent=True, result=result)
            except OSError as exc:  # no connection at all (refused, timed out, TLS): the server's
                for rest in claimed[index:]:
                    _failed(rest, exc, permanent=False, result=result)
                logger.warning("Mail server unreachable, %s messages wait: %s", len(claimed) - index, exc)
                break
            except Exception as exc:  # a surprise: logged, retried like a passing failure
                logger.exception("Message %s could not be sent", mail.pk)
                _failed(mail, exc, permanent=False, result=result)
            else:
                _sent(mail)
                result.sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # a broken connection may fail to close; nothing is left to do with it
            logger.debug("Closing the mail connection failed", exc_info=True)


def _sent(mail):
    """Delivered: the text is not kept (it may hold a link that sets a password)."""
    now = timezone.now()
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=Status.SENT,
        sent_at=now,
        last_attempt_at=now,
        attempts=mail.attempts + 1,
        last_error="",
        claim=None,
        claimed_at=None,
        body="",
        html="",
    )


def retry_delay(attempts):
    """The pause after the ``attempts``-th failed attempt: the base delay, 4 times longer each time."""
    seconds = settings.MAIL_RETRY_DELAY_SECONDS * 4 ** max(0, attempts - 1)
    return min(datetime.timedelta(seconds=seconds), MAX_RETRY_DELAY)


def _failed(mail, exc, *, permanent, result):
    now = timezone.now()
    attempts = mail.attempts + 1
    final = permanent or attempts >= settings.MAIL_MAX_ATTEMPTS
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=Status.FAILED if final else Status.WAITING,
        attempts=attempts,
        last_attempt_at=now,
        next_attempt_at=now if final else now + retry_delay(attempts),
        last_error=describe_error(exc)[:ERROR_MAX],
        claim=None,
        claimed_at=None,
    )
    if final:
        result.failed += 1
    else:
        result.retrying += 1


def describe_error(exc):
    """What went wrong, in Russian, for the managers' page."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [f"{code} {_text(message)}" for code, message in exc.recipients.values()]
        return _("Почтовый сервер не принял адрес получателя: %(reply)s") % {"reply": "; ".join(parts)}
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return _("Почтовый сервер не принял адрес отправителя %(sender)s: %(code)s %(reply)s") % {
            "sender": exc.sender,
            "code": exc.smtp_code,
            "reply": _text(exc.smtp_error),
        }
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return _(
            "Почтовый сервер отказал во входе (EMAIL_HOST_USER, EMAIL_HOST_PASSWORD): %(code)s %(reply)s"
        ) % {
            "code": exc.smtp_code,
            "reply": _text(exc.smtp_error),
        }
    if isinstance(exc, smtplib.SMTPResponseException):
        return _("Почтовый сервер ответил ошибкой: %(code)s %(reply)s") % {
            "code": exc.smtp_code,
            "reply": _text(exc.smtp_error),
        }
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return _("Почтовый сервер разорвал соединение: %(error)s") % {"error": exc}
    if isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException):
        return _("Нет соединения с почтовым сервером (EMAIL_HOST, EMAIL_PORT): %(error)s") % {"error": exc}
    return _("Письмо не отправлено: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def next_run_at(now):
    """When the outbox will next have something to send (``None``: nothing waits)."""
    earliest = OutgoingMail.objects.filter(status=Status.WAITING).aggregate(at=Min("next_attempt_at"))["at"]
    if earliest is None:
        return None
    start = max(earliest, now)
    if remaining_budget(now) <= 0:
        oldest = OutgoingMail.objects.filter(last_attempt_at__gt=now - WINDOW).aggregate(
            at=Min("last_attempt_at")
        )["at"]
        if oldest is not None:
            start = max(start, oldest + WINDOW)
    return start


# --- for managers --------------------------------------------------------------------------------


def retry_failed(queryset):
    """Put the failed messages among ``queryset`` back in the queue with fresh attempts; how many."""
    count = queryset.filter(status=Status.FAILED).update(
        status=Status.WAITING, attempts=0, next_attempt_at=timezone.now(), claim=None, claimed_at=None
    )
    if count:
        transaction.on_commit(request_delivery, robust=True)
    return count


def counts_by_kind(queryset):
    """``{kind: {"waiting": n, "sent": n, "failed": n}}``; messages being sent count as waiting."""
    counts = {}
    for row in queryset.values("kind", "status").annotate(n=Count("pk")).order_by():
        status = Status.WAITING if row["status"] == Status.SENDING else row["status"]
        bucket = counts.setdefault(row["kind"], {Status.WAITING: 0, Status.SENT: 0, Status.FAILED: 0})
        bucket[status] += row["n"]
    return counts
