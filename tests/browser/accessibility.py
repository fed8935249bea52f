"""axe-core (vendored, see ``vendor/axe-core/VERSION``) run inside the page under test.

``serious_violations(page)`` injects axe into the current page, runs it against WCAG 2.x A/AA rules and
returns the violations whose impact is serious or critical, each with the offending elements, so a failing
assertion says what to fix.

axe is evaluated through Playwright, not added as a ``<script>`` element: the site's
Content-Security-Policy refuses inline scripts (``page.add_script_tag`` would be blocked), and code the
test runs through the DevTools protocol is not the page's, so the policy neither stops it nor has to be
weakened for it.
"""

import functools
from pathlib import Path

AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@functools.cache
def axe_source():
    return AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined"  # the script, not its value


def axe_results(page):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        RULE_TAGS,
    )


def serious_violations(page):
    """Serious and critical violations as readable strings: ``rule (impact): target — summary``."""
    found = []
    for violation in axe_results(page)["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            found.append(f"{violation['id']} ({violation['impact']}): {target} — {summary}")
    return found
