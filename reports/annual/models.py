"""Page types of the annual plan report: the section index and the report of one plan year."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.slugs import TransliteratedSlugMixin

from ..period import Period
from .forms import PlanItemSelect, PlanReportPageForm, PlanTextsPanel, foreign_items, repeated_items

TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class PlanReportIndexPage(TransliteratedSlugMixin, Page):
    """The public section «Противодействие коррупции»: the published annual reports, newest year first."""

    intro = RichTextField(_("вступление"), blank=True, features=TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["reports.PlanReportPage"]
    max_count = 1
    show_in_menus_default = True
    template = "reports/annual/plan_report_index_page.html"

    class Meta:
        verbose_name = _("раздел «Противодействие коррупции»")
        verbose_name_plural = _("разделы «Противодействие коррупции»")

    def reports(self):
        """Published reports anonymous visitors may see, newest plan year first."""
        return (
            PlanReportPage.objects.child_of(self)
            .live()
            .public()
            .select_related("plan", "document", "spreadsheet")
            .order_by("-plan__year", "-period_start", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["reports"] = self.reports()
        return context


class PlanReportPage(TransliteratedSlugMixin, Page):
    """The report on the execution of one year's plan: a text per item, frozen figures, the DOCX."""

    plan = models.ForeignKey(
        "cms.Plan",
        verbose_name=_("план"),
        on_delete=models.PROTECT,
        related_name="report_pages",
        help_text=_("На каждый план — один отчёт. Тексты пунктов заполняются при создании черновика."),
    )
    period_start = models.DateField(
        _("начало отчётного периода"), null=True, blank=True, help_text=_("Пусто — 1 января года плана.")
    )
    period_end = models.DateField(
        _("конец отчётного периода"), null=True, blank=True, help_text=_("Пусто — 31 декабря года плана.")
    )
    intro = RichTextField(_("вступление"), blank=True, features=TEXT_FEATURES)
    # Set on publication only (services.publish_report), kept from revision to revision.
    figures = models.JSONField(
        _("зафиксированные показатели"), null=True, blank=True, editable=False, encoder=DjangoJSONEncoder
    )
    figures_frozen_at = models.DateTimeField(
        _("показатели зафиксированы"), null=True, blank=True, editable=False
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("документ DOCX"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    spreadsheet = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("таблица XLSX"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    base_form_class = PlanReportPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("plan", widget=forms.Select),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")])],
            heading=_("Отчётный период"),
        ),
        FieldPanel("intro"),
        PlanTextsPanel("texts", heading=_("Что сделано по пунктам плана"), label=_("пункт")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["reports.PlanReportIndexPage"]
    subpage_types = []
    template = "reports/annual/plan_report_page.html"
    # Frozen at publication: a copy of the page is a new, unpublished report.
    exclude_fields_in_copy = ["figures", "figures_frozen_at", "document", "spreadsheet"]

    class Meta:
        verbose_name = _("отчёт об исполнении плана")
        verbose_name_plural = _("отчёты об исполнении плана")

    @property
    def period(self):
        year = self.plan.year
        default = Period.year(year)
        return Period(self.period_start or default.start, self.period_end or default.end)

    def clean(self):
        super().clean()
        if self.plan_id is None:
            return
        others = PlanReportPage.objects.filter(plan_id=self.plan_id).exclude(pk=self.pk)
        if others.exists():
            raise ValidationError(
                {"plan": _("Отчёт по плану на %(year)s год уже есть.") % {"year": self.plan.year}}
            )
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": _("Конец отчётного периода раньше его начала.")})
        self.clean_texts()

    def clean_texts(self):
        """Every text names an item of the report's own plan, and no item has two texts.

        The admin's form checks the texts as they are posted (:mod:`.forms`); this checks the texts the
        page holds (a page built in code, a revision) and, in the admin, refuses a plan that the texts
        already written do not belong to."""
        items = [text.item for text in self.texts.all()]
        errors = {}
        others = foreign_items(self.plan, items)
        if others:
            errors["plan"] = ngettext(
                "Текст отчёта по мероприятию %(numbers)s — из другого плана. Текст пишется только по "
                "мероприятию плана на %(year)s год; чтобы составить отчёт по другому плану, создайте "
                "новый отчёт.",
                "Тексты отчёта по мероприятиям %(numbers)s — из другого плана. Текст пишется только по "
                "мероприятию плана на %(year)s год; чтобы составить отчёт по другому плану, создайте "
                "новый отчёт.",
                len(others),
            ) % {"numbers": _numbers(others), "year": self.plan.year}
        repeated = repeated_items(items)
        if repeated:
            errors[NON_FIELD_ERRORS] = ngettext(
                "По мероприятию %(numbers)s в отчёте несколько текстов: у мероприятия может быть только "
                "один текст.",
                "По мероприятиям %(numbers)s в отчёте несколько текстов: у мероприятия может быть только "
                "один текст.",
                len(repeated),
            ) % {"numbers": _numbers(repeated)}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # A new draft gets a text for every item of its plan (services.prefill_texts); texts written
        # before the first save are kept.
        if self._state.adding and self.plan_id:
            from .services import prefill_texts

            prefill_texts(self)
        super().save(*args, **kwargs)

    def with_content_json(self, content):
        """The frozen figures and the document belong to the page, not to a revision: publishing a
        draft made before they were frozen keeps them."""
        obj = super().with_content_json(content)
        obj.figures = self.figures
        obj.figures_frozen_at = self.figures_frozen_at
        obj.document_id = self.document_id
        obj.spreadsheet_id = self.spreadsheet_id
        return obj

    def ordered_texts(self):
        return sorted(self.texts.all(), key=lambda text: (text.item.section.number, text.item.position))

    def get_context(self, request, *args, **kwargs):
        from .services import compute_snapshot, sections_with_texts

        context = super().get_context(request, *args, **kwargs)
        snapshot = self.figures
        if snapshot is None and getattr(request, "is_preview", False):
            snapshot = compute_snapshot(self.plan, self.period)  # a draft's preview: today's figures
        context["snapshot"] = snapshot
        context["sections"] = sections_with_texts(self, snapshot)
        return context


NUMBERS_SHOWN = 10


def _numbers(items):
    numbers = list(dict.fromkeys(item.number for item in items))
    if len(numbers) <= NUMBERS_SHOWN:
        return ", ".join(numbers)
    return _("%(numbers)s и ещё %(more)s") % {
        "numbers": ", ".join(numbers[:NUMBERS_SHOWN]),
        "more": len(numbers) - NUMBERS_SHOWN,
    }


class PlanReportText(Orderable):
    """«Что сделано» by one item of the report's plan (prefilled for measured items)."""

    page = ParentalKey(PlanReportPage, on_delete=models.CASCADE, related_name="texts")
    item = models.ForeignKey(
        "cms.PlanItem", verbose_name=_("мероприятие плана"), on_delete=models.CASCADE, related_name="+"
    )
    text = RichTextField(_("что сделано"), blank=True, features=TEXT_FEATURES)

    panels = [FieldPanel("item", widget=PlanItemSelect), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("текст по пункту плана")
        verbose_name_plural = _("тексты по пунктам плана")

    def __str__(self):
        return str(self.item)
