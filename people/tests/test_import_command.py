"""``manage.py import_people``: the printed report and the exit code."""

import io
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from people.models import User

# ``region`` is a fixture: the municipalities and organizations the sample rows name.
from people.tests.test_import_service import good_rows, person_row, region, write_csv  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("region")]


def run(*args):
    """Run the command and return its exit code. (Not ``execute_from_command_line``: like a real
    shell run it closes the database connections at the end, which breaks the test transaction.)"""
    try:
        call_command("import_people", *map(str, args))
    except CommandError as error:
        print(error, file=sys.stderr)
        return error.returncode
    return 0


def test_good_file_prints_counts_and_exits_with_zero(tmp_path, capsys):
    path = write_csv(tmp_path / "roster.csv", good_rows())

    assert run(path) == 0
    out = capsys.readouterr().out
    assert "Импорт выполнен." in out
    assert "создано: 3, обновлено: 0, без изменений: 0; отклонено: 0" in out

    assert run(path) == 0
    assert "создано: 0, обновлено: 0, без изменений: 3" in capsys.readouterr().out
    assert User.objects.count() == 3


def test_bad_rows_are_printed_and_the_exit_code_is_one(tmp_path, capsys):
    rows = [person_row(), person_row(email="x@example.org", number="9", municipality="Тридевятый район")]
    path = write_csv(tmp_path / "roster.csv", rows)

    assert run(path) == 1
    captured = capsys.readouterr()
    assert "Ничего не импортировано" in captured.out
    assert "Строка 3: неизвестное муниципальное образование «Тридевятый район»" in captured.out
    assert "Отклонено строк: 1." in captured.err
    assert User.objects.count() == 0


def test_skip_invalid_imports_the_good_rows_and_still_exits_with_one(tmp_path, capsys):
    rows = [person_row(), person_row(email="x@example.org", number="9", first="")]

    assert run(write_csv(tmp_path / "roster.csv", rows), "--skip-invalid") == 1
    assert "Строка 3: не заполнено имя" in capsys.readouterr().out
    assert list(User.objects.values_list("email", flat=True)) == ["ivanov@example.org"]


def test_dry_run_writes_nothing(tmp_path):
    out = io.StringIO()

    call_command("import_people", write_csv(tmp_path / "roster.csv", good_rows()), "--dry-run", stdout=out)

    assert "было бы создано: 3" in out.getvalue()
    assert User.objects.count() == 0


def test_missing_file_is_a_fatal_error(tmp_path):
    with pytest.raises(CommandError, match="Файл не импортирован") as raised:
        call_command("import_people", tmp_path / "nowhere.csv")
    assert raised.value.returncode == 1


def test_full_roster_lists_the_leavers_then_deactivates_them(tmp_path, capsys, region):  # noqa: F811
    from people.factories import make_person

    admin = region["babynino_admin"]
    stays = make_person(admin, email="ivanov@example.org", personnel_number="1001")
    leaver = make_person(
        admin, last_name="Громова", first_name="Анна", position="Специалист", email="g@example.org"
    )
    make_person(admin, last_name="Петров", first_name="Пётр", email="p@example.org")
    path = write_csv(tmp_path / "roster.csv", [person_row()])  # Иванов of Babynino's administration

    assert run(path, "--full-roster", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Полный список: организаций в файле: 1; будет деактивировано: 2" in out
    assert "Будут деактивированы:" in out
    assert f"  Громова Анна — {admin.name} (Бабынинский район), Специалист" in out
    assert (
        "  Администрация муниципального района «Бабынинский район» (Бабынинский район): строк в файле: 1"
        in out
    )

    assert run(path, "--full-roster") == 1  # two of three: more than half
    captured = capsys.readouterr()
    assert "Деактивация требует подтверждения:" in captured.out
    assert "--confirm-deactivation" in captured.err
    assert User.objects.get(pk=leaver.pk).is_active

    assert run(path, "--full-roster", "--confirm-deactivation") == 0
    out = capsys.readouterr().out
    assert "Деактивированы:" in out
    assert "Деактивация подтверждена, несмотря на предупреждения:" in out
    assert not User.objects.get(pk=leaver.pk).is_active
    assert User.objects.get(pk=stays.pk).is_active
