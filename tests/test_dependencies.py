"""The apps' imports point one way (docs/architecture.md): config → reports → courses, events →
quizzes → cms, people. A lower app lets upper ones plug in through its registries, never by importing
them. Checked on the source (tests and migrations excluded: tests may build any fixture)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "reports", "courses", "events", "quizzes", "cms", "people")
ALLOWED = {
    "people": set(),
    "cms": {"people"},
    "quizzes": {"cms", "people"},
    "courses": {"quizzes", "cms", "people"},
    "events": {"quizzes", "cms", "people"},
    "reports": {"courses", "events", "quizzes", "cms", "people"},
    "config": set(APPS) - {"config"},
}


def source_files(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path.name.startswith("test_"):
            continue
        yield path


def imported_apps(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in APPS:
                yield top, node.lineno


def test_every_app_imports_only_the_apps_below_it():
    wrong = []
    for app in APPS:
        for path in source_files(app):
            for imported, line in imported_apps(path):
                if imported != app and imported not in ALLOWED[app]:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_the_imports():
    """The walk finds real imports (a check that reads nothing would pass everything)."""
    found = {imported for path in source_files("reports") for imported, _line in imported_apps(path)}
    assert {"courses", "quizzes", "events", "people"} <= found
