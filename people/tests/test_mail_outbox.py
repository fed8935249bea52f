"""The outbox (people.mail): every message is queued, sent after the commit in the background, at most
MAIL_RATE_PER_MINUTE a minute, retried with a growing pause, failed for good after MAIL_MAX_ATTEMPTS;
managers see the counts within their scope; the sender and the public address are checked at startup."""

import datetime
import smtplib
import uuid

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from people.checks import delivery_backend, public_address, public_address_in_production, sender_addresses
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.mail import deliver_due, enqueue, retry_failed
from people.mail import services as outbox
from people.mail.models import OutgoingMail
from people.roles import Role

pytestmark = pytest.mark.django_db

Status = OutgoingMail.Status


def queue(n=1, **fields):
    fields.setdefault("kind", "invitation")
    return [
        enqueue(to=f"person{i}@example.org", subject="Тема письма", body=f"Текст письма №{i}", **fields)
        for i in range(n)
    ]


class FailingBackend:
    """A delivery backend whose send raises the exception the test puts in ``error``."""

    error = None
    sent = []

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        if FailingBackend.error is not None:
            raise FailingBackend.error
        FailingBackend.sent += messages
        return len(messages)


@pytest.fixture
def failing(settings):
    settings.EMAIL_DELIVERY_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.error, FailingBackend.sent = None, []
    return FailingBackend


def test_a_message_is_queued_in_the_transaction_and_sent_after_the_commit(django_capture_on_commit_callbacks):
    person = make_person(email="anna@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = enqueue(
            to="Anna@Example.org", subject="Приглашение\n на сайт", body="Здравствуйте!", kind="invitation"
        )
    assert mail.outbox == [] and len(callbacks) == 1
    assert (row.status, row.person, row.subject) == (Status.WAITING, person, "Приглашение на сайт")
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    [letter] = mail.outbox
    assert letter.to == ["Anna@Example.org"] and letter.body == "Здравствуйте!"
    assert letter.from_email == '"Антикор: обучение" <noreply@localhost>'
    row.refresh_from_db()
    assert (row.status, row.attempts, row.body) == (Status.SENT, 1, "")  # the text is not kept


def test_a_recipient_that_is_no_address_is_refused_and_nothing_is_queued():
    with pytest.raises(ValueError, match="не адрес электронной почты"):
        enqueue(to="не адрес", subject="Тема", body="Текст", kind="invitation")
    assert not OutgoingMail.objects.exists()


def test_at_most_the_rate_per_minute_is_sent(settings):
    settings.MAIL_RATE_PER_MINUTE = 3
    queue(5)
    assert deliver_due().sent == 3
    assert deliver_due().sent == 0  # the minute is used up
    later = timezone.now() + datetime.timedelta(seconds=61)
    result = deliver_due(now=later)
    assert result.sent == 2 and result.next_run is None
    assert len(mail.outbox) == 5


def test_the_next_run_is_when_the_minute_frees_up(settings):
    settings.MAIL_RATE_PER_MINUTE = 2
    queue(3)
    result = deliver_due()
    first = OutgoingMail.objects.filter(status=Status.SENT).order_by("last_attempt_at").first()
    assert result.next_run == first.last_attempt_at + datetime.timedelta(minutes=1)


def test_urgent_mail_goes_first(settings):
    settings.MAIL_RATE_PER_MINUTE = 1
    queue(3, kind="course_reminder_overdue")
    enqueue(to="urgent@example.org", subject="Восстановление пароля", body="Ссылка", kind="password_reset")
    deliver_due()
    assert [letter.to for letter in mail.outbox] == [["urgent@example.org"]]


def test_a_passing_failure_is_retried_later_with_a_growing_pause_then_fails_for_good(settings, failing):
    settings.MAIL_MAX_ATTEMPTS = 3
    settings.MAIL_RETRY_DELAY_SECONDS = 60
    [row] = queue()
    failing.error = smtplib.SMTPDataError(451, b"try again later")
    now = timezone.now()
    assert deliver_due(now=now).retrying == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.WAITING, 1)
    assert "451 try again later" in row.last_error
    pause = row.next_attempt_at - row.last_attempt_at
    assert datetime.timedelta(seconds=59) < pause <= datetime.timedelta(seconds=61)
    assert deliver_due(now=now).retrying == 0  # not due yet

    deliver_due(now=row.next_attempt_at + datetime.timedelta(seconds=1))
    row.refresh_from_db()
    assert row.attempts == 2
    assert (
        datetime.timedelta(minutes=3)
        < row.next_attempt_at - row.last_attempt_at
        <= datetime.timedelta(minutes=5)
    )

    assert deliver_due(now=row.next_attempt_at + datetime.timedelta(seconds=1)).failed == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert row.body  # kept, so that a manager may send it again


def test_a_recipient_the_server_refuses_for_good_fails_at_once(failing):
    [row] = queue()
    failing.error = smtplib.SMTPRecipientsRefused({"person0@example.org": (550, b"5.1.1 no such user")})
    assert deliver_due().failed == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert row.last_error == "Почтовый сервер не принял адрес получателя: 550 5.1.1 no such user"


def test_a_server_error_leaves_the_rest_of_the_batch_for_later(failing):
    queue(3)
    failing.error = smtplib.SMTPAuthenticationError(535, b"bad credentials")
    result = deliver_due()
    assert (result.sent, result.retrying) == (0, 3)
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {Status.WAITING}
    assert all(
        "EMAIL_HOST_USER" in error for error in OutgoingMail.objects.values_list("last_error", flat=True)
    )


def test_a_batch_taken_by_a_worker_that_died_goes_back_to_the_queue():
    [row] = queue()
    OutgoingMail.objects.filter(pk=row.pk).update(
        status=Status.SENDING, claim=uuid.uuid4(), claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert deliver_due().sent == 1


def test_a_message_taken_by_another_run_is_not_sent_twice():
    [row] = queue()
    OutgoingMail.objects.filter(pk=row.pk).update(
        status=Status.SENDING, claim=uuid.uuid4(), claimed_at=timezone.now()
    )
    assert deliver_due().sent == 0
    assert mail.outbox == []


def test_django_and_wagtail_mail_goes_through_the_outbox(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "people.mail.backends.OutboxBackend"
    manager = make_regional_manager(email="reviewer@example.org")
    message = EmailMessage(
        "Страница ждёт проверки", "Откройте админку", to=["reviewer@example.org", "x@example.org"]
    )
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    with django_capture_on_commit_callbacks(execute=False):
        assert message.send() == 1
    rows = OutgoingMail.objects.order_by("recipient")
    assert [(row.recipient, row.kind, row.person) for row in rows] == [
        ("reviewer@example.org", "notification", manager),
        ("x@example.org", "notification", None),
    ]
    assert mail.outbox == []
    deliver_due()
    assert sorted(letter.to[0] for letter in mail.outbox) == ["reviewer@example.org", "x@example.org"]
    assert mail.outbox[0].extra_headers["Auto-Submitted"] == "auto-generated"


def test_the_worker_is_asked_once_while_a_request_waits(settings):
    """With the database backend a second request is not queued while one waits to run."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    assert outbox.request_delivery() is True
    assert outbox.request_delivery() is False
    later = timezone.now() + datetime.timedelta(minutes=5)
    assert outbox.request_delivery(after=later) is False  # the waiting one runs sooner
    assert DBTaskResult.objects.filter(task_path="people.tasks.send_mail_queue").count() == 1


def test_the_command_sends_what_is_due(capsys):
    queue(2)
    call_command("send_mail_queue")
    assert "Отправлено: 2" in capsys.readouterr().out
    assert len(mail.outbox) == 2


# --- the managers' page --------------------------------------------------------------------------


@pytest.fixture
def two_towns():
    obninsk, kaluga = make_municipality("Город Обнинск"), make_municipality("Город Калуга")
    ours = make_person(make_organization(obninsk), email="ours@example.org")
    theirs = make_person(make_organization(kaluga), email="theirs@example.org")
    return obninsk, ours, theirs


def test_managers_see_counts_per_kind_and_the_failed_ones_of_their_scope(client, two_towns, failing):
    obninsk, ours, theirs = two_towns
    for person in (ours, theirs):
        enqueue(to=person.email, subject="Приглашение", body="Текст", kind="invitation", person=person)
    enqueue(to="admin@example.org", subject="Уведомление", body="Текст", kind="notification")
    failing.error = smtplib.SMTPRecipientsRefused({"x": (550, b"no such user")})
    deliver_due()

    client.force_login(make_municipal_manager(obninsk))
    page = client.get(reverse("people_mail")).content.decode()
    assert "Приглашение: ссылка для создания пароля" in page
    assert "ours@example.org" in page and "theirs@example.org" not in page and "admin@example.org" not in page
    assert 'data-count="failed">1<' in page

    client.force_login(make_regional_manager())
    page = client.get(reverse("people_mail")).content.decode()
    assert "theirs@example.org" in page and "admin@example.org" in page


def test_retry_failed_puts_only_the_managers_own_back(client, two_towns):
    obninsk, ours, theirs = two_towns
    for person in (ours, theirs):
        enqueue(to=person.email, subject="Приглашение", body="Текст", kind="invitation", person=person)
    OutgoingMail.objects.update(status=Status.FAILED, attempts=6, last_error="550")
    client.force_login(make_municipal_manager(obninsk))
    assert client.get(reverse("people_mail_retry")).status_code == 405
    response = client.post(reverse("people_mail_retry"))
    assert response.status_code == 302
    assert OutgoingMail.objects.get(person=ours).status == Status.WAITING
    assert OutgoingMail.objects.get(person=ours).attempts == 0
    assert OutgoingMail.objects.get(person=theirs).status == Status.FAILED


@pytest.mark.parametrize("role", [Role.SERVANT, Role.TRAINER, Role.ORGANIZER])
def test_nobody_else_sees_the_mail_page(client, role):
    client.force_login(make_person(role=role))
    response = client.get(reverse("people_mail"))
    assert response.status_code in (302, 403)
    assert client.post(reverse("people_mail_retry")).status_code in (302, 403)


def test_retry_failed_asks_the_worker(django_capture_on_commit_callbacks):
    [row] = queue()
    OutgoingMail.objects.update(status=Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_failed(OutgoingMail.objects.all()) == 1
    row.refresh_from_db()
    assert row.status == Status.SENT


# --- checks at startup -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("Антикор: обучение <noreply@example.ru>", False),  # the old default: an unquoted colon
        ('"Антикор: обучение" <noreply@example.ru>', True),
        ("noreply@example.ru", True),
        ("Антикор <noreply>", False),
        ("'\"Антикор: обучение\" <noreply@example.ru>'", False),  # quotes of the env file left in
        ("", False),
    ],
)
def test_a_sender_django_cannot_parse_stops_the_start(settings, value, ok):
    settings.DEFAULT_FROM_EMAIL = value
    settings.SERVER_EMAIL = "server@example.ru"
    errors = sender_addresses(None)
    assert (errors == []) is ok
    if not ok:
        [error] = errors
        assert (
            error.id == "people.E002"
            and "DEFAULT_FROM_EMAIL" in error.msg
            and "не адрес отправителя" in error.msg
        )


def test_the_default_sender_is_valid():
    assert sender_addresses(None) == []
    assert delivery_backend(None) == []


@pytest.mark.parametrize("value", ["learn.example.ru", "https://learn.example.ru/base/", "ftp://x", ""])
def test_site_url_must_be_an_origin(settings, value):
    settings.SITE_URL = value
    assert [error.id for error in public_address(None)] == ["people.E003"]


def test_production_wants_https_and_a_public_host(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [warning.id for warning in public_address_in_production(None)] == ["people.W004"]
    settings.SITE_URL = "https://learn.example.ru"
    assert public_address_in_production(None) == []


def test_the_outbox_cannot_deliver_through_itself(settings):
    settings.EMAIL_DELIVERY_BACKEND = "people.mail.backends.OutboxBackend"
    assert [error.id for error in delivery_backend(None)] == ["people.E005"]


def test_the_sender_of_env_example_is_valid_as_systemd_reads_it():
    from pathlib import Path

    from django.conf import settings

    line = next(
        line
        for line in (Path(settings.BASE_DIR) / ".env.example").read_text(encoding="utf-8").splitlines()
        if line.startswith("DEFAULT_FROM_EMAIL=")
    )
    value = line.split("=", 1)[1]
    assert value.startswith("'") and value.endswith("'")  # EnvironmentFile= and the shell strip these
    from people.checks import address_problem

    assert address_problem(value[1:-1]) is None
