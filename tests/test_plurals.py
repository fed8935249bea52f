"""Russian has three plural forms (1 and 21 — 2…4 — 5…20 and 11…14); gettext's source language two.
Every counted text of the templates and the code has its three forms in locale/ru (compiled)."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.mo"
APPS = ("config", "people", "cms", "quizzes", "courses", "events", "reports", "templates")
COUNTED = re.compile(
    r"{%\s*blocktranslate\b(?P<options>[^%]*?)\bcount\b[^%]*%}(?P<singular>.*?){%\s*plural\s*%}",
    re.S,
)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def template_msgids():
    for path in sorted(p for app in APPS for p in (ROOT / app).rglob("*.html")):
        for match in COUNTED.finditer(path.read_text(encoding="utf-8")):
            text = VARIABLE.sub(r"%(\1)s", match["singular"])
            if "trimmed" in match["options"]:
                text = " ".join(line.strip() for line in text.splitlines() if line.strip())
            yield path.relative_to(ROOT), text


def code_msgids():
    for path in sorted(p for app in APPS for p in (ROOT / app).rglob("*.py") if "tests" not in p.parts):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "ngettext",
                "ngettext_lazy",
            ):
                yield path.relative_to(ROOT), node.args[0].value


def test_every_counted_text_has_its_russian_forms():
    with CATALOG.open("rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog
    texts = [*template_msgids(), *code_msgids()]
    assert len(texts) >= 10  # the walk finds them
    missing = [f"{path}: {text}" for path, text in texts if (text, 2) not in catalog]
    assert not missing, "no entry in locale/ru/LC_MESSAGES/django.po (or not compiled):\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize(
    "n, shown",
    [(1, "1 минута"), (2, "2 минуты"), (4, "4 минуты"), (5, "5 минут"), (11, "11 минут"),
     (21, "21 минута"), (22, "22 минуты"), (40, "40 минут")],
)  # fmt: skip
def test_minutes_agree_with_the_number(n, shown):
    template = Template(
        "{% load i18n %}{% blocktranslate count minutes=n %}{{ minutes }} минута"
        "{% plural %}{{ minutes }} минут{% endblocktranslate %}"
    )
    with translation.override("ru"):
        assert template.render(Context({"n": n})) == shown
