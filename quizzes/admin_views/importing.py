"""The question file upload page, the XLSX template download and the export of a category (GIFT or
Moodle XML)."""

import io
import logging
from pathlib import Path, PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..importing import xlsx
from ..models import Category
from ..richtext import guide_html
from ..services.exporting import export_gift, export_moodle_xml
from ..services.importing import import_questions

logger = logging.getLogger(__name__)

# Adding questions and categories is what an import does (trainers, regional managers, superusers).
IMPORT_PERMISSIONS = ("quizzes.add_question", "quizzes.add_category")
MAX_UPLOAD_SIZE = 5 * 1024 * 1024
# Moodle XML carries its pictures inside (base64): a bank with pictures needs more room. nginx takes 25 MB.
MAX_XML_UPLOAD_SIZE = 20 * 1024 * 1024
ALLOWED_SUFFIXES = (".gift", ".txt", ".xml", ".xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_import_questions(user):
    return user.is_authenticated and user.has_perms(IMPORT_PERMISSIONS)


class QuestionFileForm(forms.Form):
    file = forms.FileField(label=_("Файл с вопросами"))
    category = forms.ModelChoiceField(
        label=_("Категория"),
        queryset=Category.objects.select_related("parent__parent"),
        required=False,
        help_text=_("Все вопросы попадут в неё. Если не выбрана — категории берутся из файла."),
    )
    dry_run = forms.BooleanField(
        label=_("Только проверить"), required=False, help_text=_("Показать отчёт, ничего не сохраняя.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "GIFT (.gift или .txt), Moodle XML (.xml, с изображениями), Aiken (.txt) или шаблон Excel "
            "(.xlsx); не больше %(size)s, файл Moodle XML — не больше %(xml_size)s."
        ) % {"size": filesizeformat(MAX_UPLOAD_SIZE), "xml_size": filesizeformat(MAX_XML_UPLOAD_SIZE)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name).suffix.casefold()
        if suffix not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Загрузите файл .gift, .txt, .xml или .xlsx."))
        limit = MAX_XML_UPLOAD_SIZE if suffix == ".xml" else MAX_UPLOAD_SIZE
        if upload.size > limit:
            raise forms.ValidationError(_("Файл больше %(size)s.") % {"size": filesizeformat(limit)})
        return upload


class ImportQuestionsView(WagtailAdminTemplateMixin, FormView):
    template_name = "quizzes/admin/import.html"
    form_class = QuestionFileForm
    page_title = _("Импорт вопросов")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not can_import_questions(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = import_questions(
            upload.name,
            upload.read(),
            category=form.cleaned_data["category"],
            dry_run=form.cleaned_data["dry_run"],
        )
        logger.info(
            "Question import of %r by %s (dry run: %s): %s",
            upload.name,
            self.request.user.get_username(),
            report.dry_run,
            report.summary(),
        )
        return self.render_to_response(self.get_context_data(form=form, report=report))


def download_template(request):
    if not can_import_questions(request.user):
        raise PermissionDenied
    buffer = io.BytesIO()
    xlsx.write_template(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="questions-template.xlsx"'
    return response


class ExportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Категория"),
        queryset=Category.objects.select_related("parent__parent"),
        help_text=_("Выгружаются её вопросы и вопросы вложенных категорий."),
    )
    file_format = forms.ChoiceField(
        label=_("Формат"),
        choices=[
            ("xml", _("Moodle XML (.xml): без потерь, с изображениями")),
            ("gift", _("GIFT (.gift): текст, без изображений")),
        ],
        initial="xml",
    )
    subcategories = forms.BooleanField(label=_("Включая вложенные категории"), required=False, initial=True)


class ExportQuestionsView(WagtailAdminTemplateMixin, FormView):
    """A category of the bank as a file Moodle imports (and so does our import)."""

    template_name = "quizzes/admin/export.html"
    form_class = ExportForm
    page_title = _("Экспорт вопросов")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not can_import_questions(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def form_valid(self, form):
        category = form.cleaned_data["category"]
        subcategories = form.cleaned_data["subcategories"]
        if form.cleaned_data["file_format"] == "xml":
            data, suffix, content_type = export_moodle_xml(category, subcategories), "xml", "application/xml"
        else:
            data, suffix = export_gift(category, subcategories).encode("utf-8"), "gift"
            content_type = "text/plain; charset=utf-8"
        logger.info(
            "Question export of category %s (%s) by %s", category.pk, suffix, self.request.user.get_username()
        )
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="questions-{category.pk}.{suffix}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


FORMATS_GUIDE = Path(settings.BASE_DIR) / "docs" / "import-questions.md"
GIFT_SAMPLE = Path(settings.BASE_DIR) / "quizzes" / "demo_data" / "bank.gift"


class FormatsGuideView(WagtailAdminTemplateMixin, TemplateView):
    """The guide to the file formats (docs/import-questions.md, written in Russian for trainers) inside
    the admin, where trainers are: a file in the repository is no help to them."""

    template_name = "quizzes/admin/formats.html"
    page_title = _("Форматы файлов вопросов")
    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        if not can_import_questions(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("quizzes_import:upload"), "label": ImportQuestionsView.page_title},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        guide = guide_html(FORMATS_GUIDE.read_text(encoding="utf-8"))
        return super().get_context_data(guide=mark_safe(guide), **kwargs)


def download_gift_sample(request):
    """A real GIFT file to start from: the demo bank, every question type."""
    if not can_import_questions(request.user):
        raise PermissionDenied
    response = HttpResponse(GIFT_SAMPLE.read_bytes(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="questions-sample.gift"'
    return response
