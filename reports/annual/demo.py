"""Demo content of the annual report: the public section «Противодействие коррупции» and a draft of
this year's report (prefilled, not submitted), so that ``make run`` shows the feature.

Run by ``manage.py demo_data`` after the other builders (registered with a late order in
``ReportsConfig.ready``: the draft's texts are generated from the demo's courses, events, campaigns and
materials and from this year's plan, which the other builders make). Does nothing that exists already.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.models import HomePage, Plan

from .models import PlanReportIndexPage, PlanReportPage

SECTION_TITLE = "Противодействие коррупции"
SECTION_SLUG = "protivodejstvie-korrupcii"
SECTION_INTRO = (
    "<p>Отчёты уполномоченного органа об исполнении плана противодействия коррупции в органах "
    "исполнительной власти Калужской области, по годам.</p>"
)


def report_title(year):
    return _("Отчёт об исполнении плана противодействия коррупции за %(year)s год") % {"year": year}


def _home_page():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    return HomePage.objects.first()


@transaction.atomic
def build_demo_report(stdout, options):
    index = PlanReportIndexPage.objects.first()
    if index is None:
        home = _home_page()
        if home is None:
            stdout.write(_("Нет главной страницы сайта — раздел «Противодействие коррупции» не создан."))
            return
        index = home.add_child(
            instance=PlanReportIndexPage(title=SECTION_TITLE, slug=SECTION_SLUG, intro=SECTION_INTRO)
        )
        index.save_revision().publish()
        stdout.write(_("Раздел «%(title)s» создан.") % {"title": index.title})
    year = timezone.localdate().year
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        stdout.write(_("Плана на %(year)s год нет — черновик отчёта не создан.") % {"year": year})
        return
    if PlanReportPage.objects.filter(plan=plan).exists():
        stdout.write(_("Отчёт по плану на %(year)s год уже есть — пропускаю.") % {"year": year})
        return
    page = index.add_child(instance=PlanReportPage(title=report_title(year), plan=plan, live=False))
    page.save_revision()
    stdout.write(
        _("Черновик отчёта об исполнении плана на %(year)s год создан: пунктов — %(items)s.")
        % {"year": year, "items": page.texts.count()}
    )
