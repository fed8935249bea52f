"""Retention of personal data, people's part: when a person became inactive, anonymizing leavers past
the period, the login log, and the ``apply_retention`` command (dry run, idempotence, bad settings)."""

import datetime
import io

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from people.checks import retention_periods
from people.factories import make_municipal_manager, make_municipality, make_organization, make_person
from people.models import ServiceCategory, User
from people.privacy import apply_retention
from people.privacy.retention import years_before, years_text
from people.roles import Role, roles_of

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def years_ago(years, days=0):
    return years_before(NOW, years) - datetime.timedelta(days=days)


def run(*args):
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def leaver(deactivated_at, **fields):
    organization = fields.pop("organization", None) or make_organization(make_municipality())
    return make_person(
        organization,
        is_active=False,
        deactivated_at=deactivated_at,
        patronymic="Иванович",
        personnel_number=fields.pop("personnel_number", f"Т-{deactivated_at:%Y%m%d%H%M%S%f}"),
        position="Главный специалист",
        hire_date=datetime.date(2015, 3, 1),
        has_procurement_duties=True,
        has_anticorruption_duties=True,
        is_hr_service=True,
        category=ServiceCategory.MUNICIPAL,
        **fields,
    )


# --- when a person became inactive ------------------------------------------------------------------


def test_deactivating_dates_it_and_reactivating_clears_the_date():
    person = make_person()
    assert person.deactivated_at is None
    person.is_active = False
    person.save()
    person.refresh_from_db()
    assert person.deactivated_at is not None
    first = person.deactivated_at
    person.save()  # saving again keeps the original date
    person.refresh_from_db()
    assert person.deactivated_at == first
    person.is_active = True
    person.save(update_fields=["is_active"])  # the date goes with is_active even in update_fields
    person.refresh_from_db()
    assert person.deactivated_at is None


def test_saving_only_is_active_writes_the_date_too():
    person = make_person()
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert User.objects.get(pk=person.pk).deactivated_at is not None


def test_bulk_deactivation_and_reactivation_keep_the_date_right():
    active, inactive = make_person(), make_person(is_active=False, deactivated_at=years_ago(1))
    moment = NOW - datetime.timedelta(hours=1)
    assert User.objects.filter(pk__in=[active.pk, inactive.pk]).deactivate(moment) == 1
    active.refresh_from_db()
    assert (active.is_active, active.deactivated_at) == (False, moment)
    inactive.refresh_from_db()
    assert inactive.deactivated_at == years_ago(1)  # the earlier date is kept
    assert User.objects.filter(pk=active.pk).reactivate() == 1
    active.refresh_from_db()
    assert (active.is_active, active.deactivated_at) == (True, None)


def test_a_plain_bulk_update_of_is_active_dates_it_too():
    """As Wagtail's bulk action «Set active state» does: ``update(is_active=…)``."""
    leaving, left = make_person(), make_person(is_active=False, deactivated_at=years_ago(2))
    people = User.objects.filter(pk__in=[leaving.pk, left.pk])
    assert people.update(is_active=False, position="Уволен") == 2
    leaving.refresh_from_db()
    left.refresh_from_db()
    assert leaving.deactivated_at is not None and leaving.deactivated_at > years_ago(0, days=1)
    assert left.deactivated_at == years_ago(2)  # already inactive: the date is kept
    assert (leaving.position, left.position) == ("Уволен", "Уволен")
    assert people.update(is_active=True) == 2
    assert list(people.values_list("deactivated_at", flat=True)) == [None, None]


def test_wagtails_bulk_action_deactivates_with_a_date():
    from wagtail.users.views.bulk_actions.set_active_state import SetActiveStateBulkAction

    person = make_person()
    SetActiveStateBulkAction.execute_action([person], mark_as_active=False, model=User)
    person.refresh_from_db()
    assert not person.is_active and person.deactivated_at is not None


def test_the_database_refuses_an_inactive_person_without_a_date():
    active, inactive = make_person(), make_person(is_active=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=inactive.pk).update(deactivated_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=active.pk).update(deactivated_at=NOW)
    active.is_active = False
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_update([active], ["is_active"])  # bulk_update must name deactivated_at too


def test_an_anonymized_person_is_not_reactivated():
    person = leaver(years_ago(4))
    apply_retention(now=NOW)
    assert User.objects.filter(pk=person.pk).reactivate() == 0


# --- anonymizing leavers ------------------------------------------------------------------------------


def test_leavers_past_the_period_are_anonymized_and_nobody_else(settings):
    settings.RETENTION_LEAVERS_YEARS = 3
    organization = make_organization(make_municipality())
    old = leaver(years_ago(3, days=1), organization=organization, username="ivanov", email="ivanov@adm.ru")
    recent = leaver(years_ago(3, days=-1), organization=organization)
    active = make_person(organization, position="Специалист")

    apply_retention(now=NOW)

    old.refresh_from_db()
    assert old.get_full_name() == f"Удалён №{old.pk}"
    assert str(old) == f"Удалён №{old.pk}"
    assert old.username == f"deleted-{old.pk}"
    assert (old.first_name, old.patronymic, old.email, old.personnel_number, old.position) == ("",) * 5
    assert not old.is_hr_service
    # what plan items 5.7-5.9 count by stays (reports/tests/test_anonymization_counts.py)
    assert (old.hire_date, old.has_procurement_duties, old.has_anticorruption_duties) == (
        datetime.date(2015, 3, 1),
        True,
        True,
    )
    assert not old.has_usable_password()
    assert old.last_login is None
    assert old.anonymized_at == NOW
    assert not old.is_active
    assert not roles_of(old)
    # what the figures are grouped by stays
    assert (old.organization, old.municipality, old.category) == (
        organization,
        organization.municipality,
        ServiceCategory.MUNICIPAL,
    )
    for untouched in (recent, active):
        before = (untouched.username, untouched.last_name, untouched.email, untouched.position)
        untouched.refresh_from_db()
        assert (untouched.username, untouched.last_name, untouched.email, untouched.position) == before
        assert untouched.anonymized_at is None


def test_a_manager_who_left_loses_roles_rights_and_the_managed_municipality():
    municipality = make_municipality()
    manager = make_municipal_manager(municipality, is_staff=True, is_superuser=True)
    manager.is_active = False
    manager.deactivated_at = years_ago(5)
    manager.save()
    apply_retention(now=NOW)
    manager.refresh_from_db()
    assert (manager.is_staff, manager.is_superuser, manager.managed_municipality) == (False, False, None)
    assert not manager.groups.exists()
    assert Role.MUNICIPAL_MANAGER not in roles_of(manager)


def test_the_login_log_and_admin_history_of_a_leaver_name_nobody():
    old = leaver(years_ago(4), username="petrov", email="petrov@adm.ru")
    other = make_person(username="sidorov")
    for username in ("petrov", "petrov@adm.ru", "sidorov"):
        AccessLog.objects.create(username=username, ip_address="10.0.0.1", user_agent="Firefox")
    AccessAttempt.objects.create(
        username="petrov", ip_address="10.0.0.1", user_agent="x", failures_since_start=1
    )
    LogEntry.objects.create(
        user=other,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(old.pk),
        object_repr="Петров Пётр",
        action_flag=CHANGE,
    )
    apply_retention(now=NOW)
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["sidorov"]
    assert not AccessAttempt.objects.exists()
    assert LogEntry.objects.get().object_repr == f"Удалён №{old.pk}"


def test_a_taken_pseudonymous_login_gets_another():
    old = leaver(years_ago(4))
    make_person(username=f"deleted-{old.pk}")
    apply_retention(now=NOW)
    old.refresh_from_db()
    assert old.username == f"deleted-{old.pk}_"


def test_the_login_log_is_kept_for_its_period(settings):
    settings.RETENTION_LOGIN_LOG_YEARS = 1
    kept = AccessLog.objects.create(username="a", ip_address="10.0.0.1", user_agent="x")
    gone = AccessLog.objects.create(username="b", ip_address="10.0.0.1", user_agent="x")
    AccessLog.objects.filter(pk=gone.pk).update(attempt_time=years_ago(1, days=1))
    apply_retention(now=NOW)
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [kept.pk]


# --- the command -------------------------------------------------------------------------------------


def test_a_dry_run_counts_and_changes_nothing():
    old = leaver(years_ago(4))
    log = AccessLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="x")
    AccessLog.objects.filter(pk=log.pk).update(attempt_time=years_ago(2))
    out = run("--dry-run")
    assert "Пробный запуск, ничего не изменено." in out
    assert (
        "Учётные записи уволившихся — срок хранения 3 года после отключения учётной записи, граница " in out
    )
    assert "будет обезличено 1." in out
    assert (
        "Журнал входов (логин, IP-адрес, браузер) — срок хранения 1 год после входа или попытки входа" in out
    )
    old.refresh_from_db()
    assert old.anonymized_at is None
    assert old.last_name.startswith("Иванов")
    assert AccessLog.objects.filter(pk=log.pk).exists()


def test_the_command_is_idempotent():
    old = leaver(years_ago(4))
    assert "обезличено 1." in run()
    old.refresh_from_db()
    state = (old.username, old.last_name, old.password, old.anonymized_at)
    out = run()
    assert "обезличено 0." in out
    assert "удалено 0." in out
    old.refresh_from_db()
    assert (old.username, old.last_name, old.password, old.anonymized_at) == state


def test_quiet_prints_nothing():
    leaver(years_ago(4))
    assert run("--quiet") == ""
    assert User.objects.filter(anonymized_at__isnull=False).count() == 1


@pytest.mark.parametrize("value", [0, -1, "3"])
def test_a_bad_period_stops_the_run_before_anything_changes(settings, value):
    settings.RETENTION_AUDIT_YEARS = value  # a rule that runs before the leavers' one
    settings.RETENTION_LEAVERS_YEARS = 1
    old = leaver(years_ago(4))
    with pytest.raises(CommandError, match="RETENTION_AUDIT_YEARS должен быть целым числом лет"):
        run()
    old.refresh_from_db()
    assert old.anonymized_at is None
    assert [error.id for error in retention_periods(None)] == ["people.E001"]


def test_the_periods_are_valid_by_default():
    assert retention_periods(None) == []


def test_years_in_russian_and_leap_days():
    assert [years_text(n) for n in (1, 2, 3, 5, 11, 21, 22, 25, 112)] == [
        "1 год",
        "2 года",
        "3 года",
        "5 лет",
        "11 лет",
        "21 год",
        "22 года",
        "25 лет",
        "112 лет",
    ]
    leap = timezone.make_aware(datetime.datetime(2024, 2, 29, 12))
    assert years_before(leap, 1) == timezone.make_aware(datetime.datetime(2023, 2, 28, 12))
