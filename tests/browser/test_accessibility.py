"""axe-core on the main pages as the people of the platform meet them: no serious or critical violations.

The site is filled by ``demo_data`` (the same content ``make run`` shows), then each page is opened
anonymously or as the demo servant and checked.
"""

import pytest
from django.core.management import call_command

from people.demo import DEMO_PASSWORD

from .accessibility import serious_violations
from .journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

PUBLIC_PAGES = ["/", "/login/", "/materials/", "/courses/", "/events/"]
SERVANT_PAGES = ["/cabinet/", "/tests/"]


@pytest.fixture
def demo_site():
    call_command("load_plan", verbosity=0)
    call_command("demo_data", servants=10, force=True, verbosity=0)


def check(page, path):
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    return [f"{path}: {violation}" for violation in serious_violations(page)]


def test_public_and_servant_pages_have_no_serious_violations(page, demo_site):
    problems = []
    for path in PUBLIC_PAGES:
        problems += check(page, path)
    log_in(page, "servant", DEMO_PASSWORD)
    for path in SERVANT_PAGES:
        problems += check(page, path)
    assert problems == [], "\n".join(problems)


def test_the_checker_reports_a_serious_violation(page):
    """The check can fail: an unlabeled form field and an image without alt text are reported."""
    page.set_content('<html lang="ru"><body><main><img src="data:,"><input type="text"></main></body></html>')
    rules = {problem.split(" ", 1)[0] for problem in serious_violations(page)}
    assert {"image-alt", "label"} <= rules
