"""Project-wide test fixtures."""

import pytest


def _is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _baseline_data_after_flush(request):
    """Transactional tests flush the database after each test, taking with it what migrations made
    (the home page and site); the role groups come back through post_migrate. Restore the rest."""
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        from cms.site_setup import ensure_home_page
        from people.roles import ensure_roles

        ensure_roles()
        ensure_home_page()
    yield
