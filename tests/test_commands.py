"""Every management command of the project answers ``--help`` (an operator's first step at cron time)."""

import io
from contextlib import redirect_stdout

import pytest
from django.core.management import get_commands, load_command_class

PROJECT_APPS = ("cms", "people", "courses", "quizzes", "events", "reports", "config")
COMMANDS = sorted((name, app) for name, app in get_commands().items() if app in PROJECT_APPS)


def test_the_project_has_its_commands():
    names = {name for name, _app in COMMANDS}
    assert {"finish_overdue", "demo_data", "load_region", "purge_exports"} <= names


@pytest.mark.parametrize(("name", "app"), COMMANDS, ids=[name for name, _app in COMMANDS])
def test_help_prints_the_russian_description(name, app):
    command = load_command_class(app, name)
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["manage.py", name, "--help"])
    assert exit_info.value.code == 0
    text = out.getvalue()
    assert f"manage.py {name}" in text
    assert any("а" <= letter <= "я" for letter in str(command.help).lower()), "no Russian description"
