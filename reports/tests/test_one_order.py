"""One order of municipalities and organizations everywhere (issue 21): the dashboard and the plan
report list them by the name as shown, case-insensitive, «ё» as «е»."""

import pytest

from people.factories import make_municipality, make_organization, make_person, make_regional_manager
from people.scope import Scope
from reports.period import Period
from reports.plan.figures import Grouping
from reports.tables import ReportRequest, table_spec

pytestmark = pytest.mark.django_db

SHOWN = ["Бабынинский район", "Город Калуга", "Ёлкинский район", "Жуковский район"]


@pytest.fixture
def region():
    # the full names sort otherwise: «Городской округ…» before «Муниципальный район…»
    babynino = make_municipality("Муниципальный район «Бабынинский район»", short_name="Бабынинский район")
    kaluga = make_municipality("Городской округ «Город Калуга»", short_name="Город Калуга")
    make_municipality("Муниципальный район «Жуковский район»", short_name="Жуковский район")
    make_municipality("Муниципальный район «Ёлкинский район»", short_name="Ёлкинский район")
    for name in ("управление образования", "Администрация", "Ёлочная школа"):
        make_person(make_organization(kaluga, name))
    make_person(municipality=babynino)
    return kaluga


def test_the_dashboard_and_the_plan_report_list_in_one_order(region):
    manager = make_regional_manager()
    scope = Scope.for_user(manager)
    plan_rows = [name for _key, name in Grouping(scope).rows()][:-1]  # the regional bodies come last
    assert plan_rows == SHOWN
    request = ReportRequest(manager.pk, Period.current_year())
    dashboard = [
        row["name"] for row in table_spec("municipalities").build(request).rows if row["id"] is not None
    ]
    assert [name for name in dashboard if name in SHOWN] == [name for name in SHOWN if name in dashboard]

    organizations = [name for _key, name in Grouping(scope, region).rows()][:-1]
    assert organizations == ["Администрация", "Ёлочная школа", "управление образования"]
