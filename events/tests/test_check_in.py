"""Personal check-in with the event's code: the time window, wrong codes, idempotency."""

import datetime

import pytest

from events import services
from events.exceptions import CheckInClosed, CheckInNotOpenYet, InvalidCheckInCode
from events.factories import make_event
from events.models import Attendance
from people.factories import make_person

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def event():
    return make_event()


@pytest.fixture
def person():
    return make_person()


def test_window_opens_thirty_minutes_before_the_start(event, person):
    opens = event.start - 30 * MINUTE
    with pytest.raises(CheckInNotOpenYet) as error:
        services.check_in(event, person, event.check_in_code, now=opens - SECOND)
    assert "30 минут" in str(error.value)
    attendance = services.check_in(event, person, event.check_in_code, now=opens)
    assert attendance.checked_in_at == opens
    assert attendance.method == Attendance.Method.CODE


def test_window_closes_at_the_end(event, person):
    other = make_person()
    assert services.check_in(event, person, event.check_in_code, now=event.end)
    with pytest.raises(CheckInClosed):
        services.check_in(event, other, event.check_in_code, now=event.end + SECOND)
    assert not Attendance.objects.filter(user=other).exists()


def test_wrong_code_is_refused(event, person):
    other_event = make_event(start=event.start)
    with pytest.raises(InvalidCheckInCode):
        services.check_in(event, person, other_event.check_in_code, now=event.start)
    with pytest.raises(InvalidCheckInCode):
        services.check_in(event, person, "", now=event.start)
    assert not Attendance.objects.exists()


def test_code_typed_in_lower_case_with_spaces_is_accepted(event, person):
    typed = " ".join(event.check_in_code.lower())
    assert services.check_in(event, person, typed, now=event.start)


def test_check_in_is_idempotent(event, person):
    first = services.check_in(event, person, event.check_in_code, now=event.start)
    again = services.check_in(event, person, event.check_in_code, now=event.start + 10 * MINUTE)
    assert again.pk == first.pk
    assert again.checked_in_at == event.start
    assert Attendance.objects.filter(event=event, user=person).count() == 1


def test_registration_is_not_required_to_check_in(event, person):
    assert not event.registrations.exists()
    assert services.check_in(event, person, event.check_in_code, now=event.start)
