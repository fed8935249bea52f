"""Admin menu items of the reports: the dashboard, the plan-execution report, the export jobs, and
the managers' mass messages («Рассылки», pages of their own in the admin).

The dashboard lives on the site (``/reports/``), the menu only leads there. The plan report and the
export jobs belong to :mod:`reports.exports`; their items appear once those URL names exist.
"""

from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from people.scope import is_manager

from .broadcasts import views as broadcast_views

MUNICIPALITY_STATISTICS = "people.view_municipality_statistics"
REGION_STATISTICS = "people.view_region_statistics"


class ReportMenuItem(MenuItem):
    """A menu item for users with ``permission``, shown only while its URL name resolves."""

    def __init__(self, label, url_name, *, permission, **kwargs):
        self.url_name = url_name
        self.permission = permission
        super().__init__(label, "", **kwargs)

    @property
    def url(self):
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None

    @url.setter
    def url(self, value):
        """The URL is resolved on use (MenuItem.__init__ assigns one)."""

    def is_shown(self, request):
        return self.url is not None and request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return ReportMenuItem(
        _("Статистика"),
        "reports:dashboard",
        permission=MUNICIPALITY_STATISTICS,
        name="reports-dashboard",
        icon_name="table",
        order=910,
    )


@hooks.register("register_admin_menu_item")
def register_plan_report_menu_item():
    return ReportMenuItem(
        _("Отчёт об исполнении плана"),
        "reports_exports:plan_report",
        permission=REGION_STATISTICS,
        name="reports-plan",
        icon_name="doc-full",
        order=911,
    )


@hooks.register("register_admin_menu_item")
def register_export_jobs_menu_item():
    return ReportMenuItem(
        _("Выгрузки"),
        "reports_exports:jobs",
        permission=MUNICIPALITY_STATISTICS,
        name="reports-exports",
        icon_name="download",
        order=912,
    )


# «Рассылки»: mass messages of municipal and regional managers, each within their scope.


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_manager(request.user)


@hooks.register("register_admin_urls")
def register_broadcast_urls():
    return [
        path("reports/broadcasts/", broadcast_views.BroadcastListView.as_view(), name="reports_broadcasts"),
        path(
            "reports/broadcasts/new/",
            broadcast_views.NewBroadcastView.as_view(),
            name="reports_broadcast_new",
        ),
        path(
            "reports/broadcasts/<int:pk>/", broadcast_views.BroadcastView.as_view(), name="reports_broadcast"
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_broadcasts_menu_item():
    return ManagerMenuItem(
        _("Рассылки"), reverse("reports_broadcasts"), name="reports-broadcasts", icon_name="mail", order=923
    )
