"""Admin pages for plans per year (registered in ``cms/wagtail_hooks.py``): importing a plan from an XLSX
or JSON file with a check first, the XLSX template, a plan downloaded as XLSX or JSON, and a new year's
plan made from an existing one («по образцу»).

Those who may add and change plans, sections and items may use them: regional managers and superusers
(``people.roles``); anybody else is turned away as from the plan snippets.
"""

import io
import json
import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import Plan
from .models.plan import FIRST_PLAN_YEAR, LAST_PLAN_YEAR
from .plan_import import MAX_FILE_BYTES, SUFFIXES, Problem, import_plan, read_plan_file, write_plan_xlsx
from .plan_seed import PlanDataError
from .plan_years import copy_plan, default_copy_year, plan_as_data

logger = logging.getLogger(__name__)

PLAN_PERMISSIONS = (
    "cms.add_plan",
    "cms.change_plan",
    "cms.add_plansection",
    "cms.change_plansection",
    "cms.add_planitem",
    "cms.change_planitem",
)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_manage_plans(user):
    return user.is_authenticated and user.has_perms(PLAN_PERMISSIONS)


class PlanAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "list-ol"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_plans(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailsnippets_cms_plan:list"), "label": _("Планы")},
            {"url": "", "label": self.page_title},
        ]


# --- import -------------------------------------------------------------------------------------


class PlanFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Файл плана"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "XLSX по шаблону или JSON, не больше %(size)s. Сначала нажмите «Только проверить»: проверка "
            "ничего не сохраняет."
        ) % {"size": filesizeformat(MAX_FILE_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Файл больше %(size)s.") % {"size": filesizeformat(MAX_FILE_BYTES)})
        if not upload.name.casefold().endswith(SUFFIXES):
            raise forms.ValidationError(_("Загрузите файл XLSX или JSON."))
        return upload


class ImportPlanView(PlanAdminMixin, FormView):
    template_name = "cms/admin/plan_import.html"
    form_class = PlanFileForm
    page_title = gettext_lazy("Импорт плана")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        return super().get_context_data(plans=Plan.objects.order_by("-year"), **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        dry_run = "import" not in self.request.POST
        report = read_plan_file(upload.name, upload.read())
        outcome = None
        if report.ok:
            try:
                outcome = import_plan(report.data, dry_run=dry_run)
            except PlanDataError as error:  # the readers check what load_plan checks; kept as a net
                report.problems.append(Problem("", str(error)))
        result = {True: "checked", False: "saved"}[dry_run] if outcome else f"{len(report.problems)} problems"
        logger.info(
            "Plan import of %r by %s (dry run: %s): %s",
            upload.name,
            self.request.user.get_username(),
            dry_run,
            result,
        )
        if outcome and not dry_run:
            messages.success(
                self.request,
                _("План на %(year)s год загружен.") % {"year": outcome.data.year},
            )
        return self.render_to_response(
            self.get_context_data(form=form, report=report, outcome=outcome, filename=upload.name)
        )


def download_template(request):
    if not can_manage_plans(request.user):
        raise PermissionDenied
    target = io.BytesIO()
    write_plan_xlsx(target)
    return _attachment(target.getvalue(), XLSX_CONTENT_TYPE, "plan-template.xlsx")


def download_plan(request, year, fmt):
    """The plan of ``year`` as XLSX (the import template filled in) or JSON: a base for next year's file."""
    if not can_manage_plans(request.user):
        raise PermissionDenied
    plan = Plan.objects.filter(year=year).first()
    if plan is None or fmt not in ("xlsx", "json"):
        raise Http404
    data = plan_as_data(plan)
    if fmt == "xlsx":
        target = io.BytesIO()
        write_plan_xlsx(target, data)
        return _attachment(target.getvalue(), XLSX_CONTENT_TYPE, f"plan-{year}.xlsx")
    content = json.dumps(data.as_dict(), ensure_ascii=False, indent=2) + "\n"
    return _attachment(content.encode("utf-8"), "application/json", f"plan-{year}.json")


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- a plan by example --------------------------------------------------------------------------


class CopyPlanForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Образец"),
        queryset=Plan.objects.order_by("-year"),
        empty_label=None,
        help_text=gettext_lazy("Разделы и мероприятия копируются; годы в их тексте сдвигаются."),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Год нового плана"), min_value=FIRST_PLAN_YEAR, max_value=LAST_PLAN_YEAR
    )
    act_date = forms.DateField(
        label=gettext_lazy("Дата акта"),
        required=False,
        help_text=gettext_lazy("Пусто — дата акта образца, сдвинутая на ту же разницу лет. Проверьте потом."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    act_number = forms.CharField(
        label=gettext_lazy("Номер акта"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("Пусто — номер акта образца. Проверьте потом."),
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Plan.objects.filter(year=year).exists():
            raise forms.ValidationError(
                _("План на %(year)s год уже есть: откройте его в списке планов.") % {"year": year}
            )
        return year


class CopyPlanView(PlanAdminMixin, FormView):
    template_name = "cms/admin/plan_copy.html"
    form_class = CopyPlanForm
    page_title = gettext_lazy("Создать план на следующий год по образцу")
    header_icon = "copy"

    def get_initial(self):
        return {"year": default_copy_year(), "source": Plan.objects.order_by("-year").first()}

    def form_valid(self, form):
        source = form.cleaned_data["source"]
        try:
            result = copy_plan(
                source,
                form.cleaned_data["year"],
                act_date=form.cleaned_data["act_date"],
                act_number=form.cleaned_data["act_number"],
            )
        except PlanDataError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        user = self.request.user.get_username()
        logger.info("Plan %s copied to %s by %s", source.year, result.plan.year, user)
        messages.success(
            self.request,
            _(
                "План на %(year)s год создан по образцу плана на %(source)s год: разделов — %(sections)s, "
                "мероприятий — %(items)s. Проверьте реквизиты акта и тексты мероприятий."
            )
            % {
                "year": result.plan.year,
                "source": source.year,
                "sections": result.sections.created,
                "items": result.items.created,
            },
        )
        return redirect("wagtailsnippets_cms_plan:edit", result.plan.pk)
