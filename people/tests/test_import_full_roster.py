"""The full-roster import: leavers of the named organizations are deactivated, returners reactivated,
role holders left alone, nothing written before a check or without a confirmation where one is due."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError
from wagtail.models import ModelLogEntry

from courses.factories import make_course
from courses.models import Certificate, Enrollment
from courses.services import issue_certificate
from events.factories import make_event
from events.models import Attendance
from people.factories import make_municipal_manager, make_person, make_regional_manager
from people.importing import import_people
from people.importing.audit import DEACTIVATED, REACTIVATED
from people.models import User
from people.roles import Role, assign_role

# ``region`` is a fixture: the municipalities and organizations the sample rows name.
from people.tests.test_import_service import person_row, region, write_csv, write_xlsx  # noqa: F401
from quizzes.contexts import campaign_context
from quizzes.factories import make_campaign, make_municipal_audience, make_quiz
from quizzes.models import Sitting

pytestmark = pytest.mark.django_db

BABYNINO_ADMIN = "Администрация муниципального района «Бабынинский район»"
KALUGA_ADMIN = "Городская Управа города Калуги"


def row_of(person, organization=BABYNINO_ADMIN, municipality="Бабынинский район", **values):
    """A roster row about an existing ``person`` (found by email and personnel number)."""
    return person_row(
        last=person.last_name,
        first=person.first_name,
        middle=person.patronymic,
        email=person.email,
        number=person.personnel_number,
        municipality=municipality,
        organization=organization,
        position=values.pop("position", person.position),
        **values,
    )


@pytest.fixture
def staff(region):  # noqa: F811
    """Babynino's administration: four servants, a manager, a trainer, an administrator and a former
    servant already inactive; Kaluga's administration: three servants (not in the files below)."""
    admin = region["babynino_admin"]

    def servant(last, number, organization=admin, **fields):
        return make_person(
            organization,
            last_name=last,
            first_name="Анна",
            patronymic="Сергеевна",
            email=f"{number.lower()}@example.org",
            personnel_number=number,
            position=fields.pop("position", "Специалист"),
            **fields,
        )

    people = {
        "a": servant("Алексеева", "A1"),
        "b": servant("Борисова", "B1"),
        "c": servant("Власова", "C1"),
        "d": servant("Громова", "D1", position="Ведущий специалист"),
        "former": servant("Давыдова", "G1", is_active=False),
        "e": servant("Егорова", "E1", region["kaluga_admin"]),
        "f": servant("Жукова", "F1", region["kaluga_admin"]),
        "h": servant("Зайцева", "H1", region["kaluga_admin"]),
    }
    people["manager"] = make_municipal_manager(
        region["babynino"], organization=admin, email="manager@example.org", personnel_number="M1"
    )
    people["trainer"] = make_person(admin, role=Role.TRAINER, email="trainer@example.org")
    people["admin"] = make_person(admin, is_superuser=True, is_staff=True, email="root@example.org")
    return people


def babynino_file(tmp_path, staff, keep=("a", "b", "c"), extra=(), kind="csv", name="roster"):
    rows = [row_of(staff[key]) for key in keep] + list(extra)
    if kind == "xlsx":
        return write_xlsx(tmp_path / f"{name}.xlsx", rows)
    return write_csv(tmp_path / f"{name}.csv", rows)


def active(person):
    return User.objects.get(pk=person.pk).is_active


def pks(entries):
    return sorted(entry.pk for entry in entries)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_leavers_of_the_named_organizations_only_are_deactivated(tmp_path, staff, kind):
    newcomer = person_row(last="Новикова", email="new@example.org", number="N1")

    report = import_people(babynino_file(tmp_path, staff, extra=[newcomer], kind=kind), full_roster=True)

    assert (report.fatal, report.errors, report.blocked) == ("", [], "")
    assert report.saved
    assert report.created == 1
    assert pks(report.deactivated) == [staff["d"].pk]
    assert not active(staff["d"])
    assert all(active(staff[key]) for key in ("a", "b", "c", "e", "f", "h"))  # Kaluga is not in the file
    assert not active(staff["former"])  # already inactive: not listed anywhere
    assert staff["former"].pk not in pks(report.reactivated) + pks(report.kept_inactive)
    assert User.objects.get(email="new@example.org").is_active
    [organization] = report.organizations
    assert (organization.rows, organization.active, organization.leaving) == (4, 7, 1)


def test_role_holders_are_listed_and_never_deactivated(tmp_path, staff, region):  # noqa: F811
    staff_member = make_person(region["babynino_admin"], is_staff=True, email="staff@example.org")
    with_permission = make_person(region["babynino_admin"], email="perm@example.org")
    with_permission.user_permissions.add(Permission.objects.get(codename="view_municipality_statistics"))

    report = import_people(babynino_file(tmp_path, staff), full_roster=True)

    kept = {entry.pk: entry.roles for entry in report.kept_active}
    assert kept == {
        staff["manager"].pk: ("муниципальный менеджер",),
        staff["trainer"].pk: ("преподаватель",),
        staff["admin"].pk: ("администратор сайта", "доступ к админке Django"),
        staff_member.pk: ("доступ к админке Django",),
        with_permission.pk: ("личные права доступа",),
    }
    for person in (staff["manager"], staff["trainer"], staff["admin"], staff_member, with_permission):
        assert active(person)
    assert pks(report.deactivated) == [staff["d"].pk]


def test_a_servant_who_also_holds_a_role_is_not_deactivated(tmp_path, staff):
    assign_role(staff["d"], Role.TRAINER)  # «Слушатели» and «Преподаватели»

    report = import_people(babynino_file(tmp_path, staff), full_roster=True)

    assert report.deactivated == []
    assert staff["d"].pk in pks(report.kept_active)
    assert active(staff["d"])


def test_dry_run_lists_the_leavers_writes_nothing_and_the_import_writes_the_same(tmp_path, staff):
    path = babynino_file(tmp_path, staff, keep=("a", "b"))

    check = import_people(path, full_roster=True, dry_run=True)

    assert not check.saved
    assert [(entry.name, entry.organization, entry.position) for entry in check.deactivated] == [
        ("Власова Анна Сергеевна", f"{BABYNINO_ADMIN} (Бабынинский район)", "Специалист"),
        ("Громова Анна Сергеевна", f"{BABYNINO_ADMIN} (Бабынинский район)", "Ведущий специалист"),
    ]
    assert active(staff["c"])
    assert active(staff["d"])
    assert not ModelLogEntry.objects.filter(action=DEACTIVATED).exists()
    lines = check.summary_lines()
    assert "Проверка без записи: в базе ничего не изменено." in lines
    assert "Будут деактивированы:" in lines
    assert f"  Громова Анна Сергеевна — {BABYNINO_ADMIN} (Бабынинский район), Ведущий специалист" in lines

    done = import_people(path, full_roster=True, reviewed_leavers=check.leavers_digest)

    assert done.saved
    assert pks(done.deactivated) == pks(check.deactivated)
    assert sorted(User.objects.filter(is_active=False).values_list("pk", flat=True)) == sorted(
        [staff["former"].pk, staff["c"].pk, staff["d"].pk]
    )
    assert "Деактивированы:" in done.summary_lines()


def test_the_import_refuses_leavers_other_than_the_checked_ones(tmp_path, staff):
    check = import_people(
        babynino_file(tmp_path, staff, keep=("a", "b", "c")), full_roster=True, dry_run=True
    )
    newer = babynino_file(tmp_path, staff, keep=("a", "b"), name="newer")  # Власова is missing now

    report = import_people(newer, full_roster=True, reviewed_leavers=check.leavers_digest)

    assert not report.saved
    assert "не совпадает с проверенным" in report.outcome()
    assert active(staff["c"])
    assert active(staff["d"])
    # Unchecked (an empty digest) is refused the same way; a file without leavers needs no check.
    assert not import_people(newer, full_roster=True, reviewed_leavers="").saved
    everyone = babynino_file(tmp_path, staff, keep=("a", "b", "c", "d"), name="everyone")
    assert import_people(everyone, full_roster=True, reviewed_leavers="").saved


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_more_than_half_of_an_organization_needs_a_confirmation(tmp_path, staff, kind, settings):
    rows = [
        row_of(staff["e"], KALUGA_ADMIN, "Город Калуга"),
        person_row(
            last="Новикова",
            email="new@example.org",
            number="N1",
            municipality="Город Калуга",
            organization=KALUGA_ADMIN,
        ),
    ]
    path = write_xlsx(tmp_path / "k.xlsx", rows) if kind == "xlsx" else write_csv(tmp_path / "k.csv", rows)

    report = import_people(path, full_roster=True)

    assert not report.saved
    assert report.outcome().startswith("Ничего не импортировано: деактивация людей требует подтверждения")
    [reason] = report.confirmations
    assert reason == (
        f"«{KALUGA_ADMIN} (Город Калуга)»: к деактивации 2 из 3 активных (66,7 %) — больше допустимых 50 %"
    )
    assert all(active(staff[key]) for key in ("e", "f", "h"))
    assert not User.objects.filter(email="new@example.org").exists()  # nothing at all is written

    confirmed = import_people(path, full_roster=True, confirm_deactivation=True)

    assert confirmed.saved
    assert pks(confirmed.deactivated) == sorted([staff["f"].pk, staff["h"].pk])
    assert User.objects.filter(email="new@example.org").exists()


def test_the_share_limit_is_a_setting(tmp_path, staff, settings):
    settings.PEOPLE_IMPORT_MAX_LEAVER_PERCENT = 70
    path = write_csv(tmp_path / "k.csv", [row_of(staff["e"], KALUGA_ADMIN, "Город Калуга")])

    report = import_people(path, full_roster=True)

    assert (report.confirmations, report.saved) == ([], True)
    assert not active(staff["f"])


def test_rejected_rows_need_a_confirmation_and_their_people_are_never_leavers(tmp_path, staff):
    rows = [row_of(staff[key]) for key in ("a", "b")]
    rows.append(row_of(staff["c"], hired="31.02.2020"))  # rejected, but it names Власова
    path = write_csv(tmp_path / "roster.csv", rows)

    strict = import_people(path, full_roster=True)
    assert (strict.saved, strict.rejected) == (False, 1)

    skipping = import_people(path, full_roster=True, skip_invalid=True)
    assert not skipping.saved
    assert skipping.confirmations[0].startswith("в файле есть строки с ошибками (1)")
    assert active(staff["d"])

    confirmed = import_people(path, full_roster=True, skip_invalid=True, confirm_deactivation=True)
    assert confirmed.saved
    assert pks(confirmed.deactivated) == [staff["d"].pk]
    assert active(staff["c"])


def test_rows_must_name_their_organization(tmp_path, staff):
    rows = [row_of(staff["a"]), row_of(staff["b"], organization="", municipality="Бабынинский район")]

    report = import_people(write_csv(tmp_path / "roster.csv", rows), full_roster=True)

    assert [(error.line, error.message) for error in report.errors] == [
        (3, "в полном списке у каждой строки должна быть указана организация")
    ]
    header = ["Фамилия", "Имя", "Email"]
    no_column = write_csv(tmp_path / "bare.csv", [person_row()], header=header)
    assert "нужен столбец «Организация»" in import_people(no_column, full_roster=True).fatal
    assert import_people(no_column).saved  # the ordinary import needs no organization


def test_a_returner_is_reactivated_with_the_history_kept(tmp_path, staff):
    import_people(babynino_file(tmp_path, staff), full_roster=True)
    assert not active(staff["d"])

    ordinary = import_people(babynino_file(tmp_path, staff, keep=("a", "d"), name="ordinary"))
    assert ordinary.saved
    assert pks(ordinary.kept_inactive) == [staff["d"].pk]  # the ordinary import does not reactivate
    assert not active(staff["d"])

    back = import_people(
        babynino_file(tmp_path, staff, keep=("a", "b", "c", "d", "former"), name="back"), full_roster=True
    )

    assert back.saved
    assert pks(back.reactivated) == sorted([staff["d"].pk, staff["former"].pk])
    assert active(staff["d"])
    assert active(staff["former"])
    assert User.objects.get(pk=staff["d"].pk).deactivated_at is None


def test_an_inactive_role_holder_in_the_file_stays_inactive(tmp_path, staff):
    User.objects.filter(pk=staff["manager"].pk).deactivate()
    rows = [row_of(staff[key]) for key in ("a", "b", "c", "d", "manager")]

    report = import_people(write_csv(tmp_path / "roster.csv", rows), full_roster=True)

    assert report.saved
    assert report.reactivated == []
    assert [(entry.pk, entry.roles) for entry in report.kept_inactive] == [
        (staff["manager"].pk, ("муниципальный менеджер",))
    ]
    assert not active(staff["manager"])


def test_a_leaver_keeps_sittings_enrolments_certificates_and_attendance(tmp_path, staff, region):  # noqa: F811
    leaver = staff["d"]
    course = make_course()
    Enrollment.objects.create(user=leaver, course=course, completed_at=datetime.datetime.now(datetime.UTC))
    issue_certificate(leaver, course)
    quiz = make_quiz(pass_mark=60)
    campaign = make_campaign(
        quiz,
        make_municipal_audience(region["babynino"]),
        opens_at=datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2024, 3, 20, tzinfo=datetime.UTC),
    )
    Sitting.objects.create(
        user=leaver,
        quiz=quiz,
        campaign=campaign,
        context=campaign_context(campaign.pk),
        state=Sitting.State.FINISHED,
        started_at=campaign.opens_at,
        finished_at=campaign.opens_at + datetime.timedelta(minutes=20),
        pass_mark=60,
        percent=80,
        passed=True,
    )
    event = make_event(start=datetime.datetime(2024, 4, 1, 10, tzinfo=datetime.UTC))
    Attendance.objects.create(event=event, user=leaver)
    history = [Enrollment, Certificate, Sitting, Attendance]
    before = {model: list(model.objects.filter(user=leaver).values()) for model in history}

    report = import_people(babynino_file(tmp_path, staff), full_roster=True)

    assert pks(report.deactivated) == [leaver.pk]
    assert {model: list(model.objects.filter(user=leaver).values()) for model in history} == before
    assert all(before.values())


def test_each_switch_is_in_the_admin_log_with_the_file_and_who_imported(tmp_path, staff):
    manager = make_regional_manager()
    import_people(babynino_file(tmp_path, staff, name="январь"), full_roster=True, user=manager)
    import_people(
        babynino_file(tmp_path, staff, keep=("a", "b", "c", "d"), name="март"), full_roster=True, user=None
    )

    [gone] = ModelLogEntry.objects.filter(action=DEACTIVATED)
    assert (gone.object_id, gone.label, gone.user_id) == (
        str(staff["d"].pk),
        "Громова Анна Сергеевна",
        manager.pk,
    )
    assert gone.data["file"] == "январь.csv"
    assert gone.message == (
        "Учётная запись деактивирована: человека нет в полном кадровом списке «январь.csv» "
        f"({BABYNINO_ADMIN} (Бабынинский район))"
    )
    [back] = ModelLogEntry.objects.filter(action=REACTIVATED)
    assert (back.object_id, back.user_id, back.data["file"]) == (str(staff["d"].pk), None, "март.csv")
    assert back.message == "Учётная запись снова активна: человек есть в полном кадровом списке «март.csv»"


def test_a_failure_while_writing_rolls_everything_back(tmp_path, staff, monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("the log could not be written")

    monkeypatch.setattr("people.importing.service.log_activity", fail)
    newcomer = person_row(last="Новикова", email="new@example.org", number="N1")

    report = import_people(babynino_file(tmp_path, staff, extra=[newcomer]), full_roster=True)

    assert not report.saved
    assert "повторите импорт" in report.fatal
    assert active(staff["d"])
    assert not User.objects.filter(email="new@example.org").exists()


def test_a_role_given_while_the_import_runs_rolls_it_back(tmp_path, staff, monkeypatch):
    from people.importing import service

    plan = service.plan_activity

    def plan_then_promote(*args, **kwargs):
        planned = plan(*args, **kwargs)
        assign_role(staff["d"], Role.MUNICIPAL_MANAGER)  # somebody else, between the plan and the write
        return planned

    monkeypatch.setattr(service, "plan_activity", plan_then_promote)

    report = import_people(babynino_file(tmp_path, staff), full_roster=True)

    assert not report.saved
    assert "изменил активность или роли" in report.fatal
    assert active(staff["d"])
    assert not ModelLogEntry.objects.filter(action=DEACTIVATED).exists()


def test_the_ordinary_import_still_deactivates_nobody(tmp_path, staff):
    report = import_people(babynino_file(tmp_path, staff, keep=("a",)))

    assert report.saved
    assert (report.deactivated, report.organizations) == ([], [])
    assert all(active(staff[key]) for key in ("b", "c", "d"))


def test_returners_are_announced_so_that_assignments_reach_them(
    tmp_path, staff, django_capture_on_commit_callbacks
):
    from people.events import people_changed

    import_people(babynino_file(tmp_path, staff), full_roster=True)
    announced = []

    def receiver(sender, user_ids, **kwargs):
        announced.extend(user_ids)

    people_changed.connect(receiver, dispatch_uid="test_returners_are_announced")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            import_people(
                babynino_file(tmp_path, staff, keep=("a", "b", "c", "d"), name="back"), full_roster=True
            )
    finally:
        people_changed.disconnect(dispatch_uid="test_returners_are_announced")

    assert announced == [staff["d"].pk]


def test_queries_do_not_grow_with_the_number_of_leavers(tmp_path, region):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from people.factories import make_organization
    from people.roles import group_for

    servants = group_for(Role.SERVANT)

    def queries_for(count, name):
        organization = make_organization(region["kaluga"], f"Отдел {name}")
        people = User.objects.bulk_create(
            User(
                username=f"{name}{i}",
                email=f"{name}{i}@example.org",
                organization=organization,
                municipality=region["kaluga"],
            )
            for i in range(count)
        )
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=person.pk, group_id=servants.pk) for person in people
        )
        stays = person_row(email=f"{name}0@example.org", number="", municipality="Город Калуга")
        stays["Организация"] = organization.name
        path = write_csv(tmp_path / f"{name}.csv", [stays])
        with CaptureQueriesContext(connection) as queries:
            report = import_people(path, full_roster=True, confirm_deactivation=True, user=None)
        assert len(report.deactivated) == count - 1
        return len(queries)

    few, many = queries_for(20, "a"), queries_for(400, "b")
    assert many < few + 6
