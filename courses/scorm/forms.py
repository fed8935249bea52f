"""The lesson editor's SCORM fields: upload a package (checked here, a clear error in the form) or
take it off the lesson. Each upload becomes a new package; the lesson's revision points at it, so a
draft with a new package leaves the live lesson as it is until the course is published again."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm

from .errors import PackageError
from .packages import check_package, create_package


class LessonPageForm(WagtailAdminPageForm):
    scorm_upload = forms.FileField(
        label=gettext_lazy("SCORM-пакет (.zip)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    scorm_remove = forms.BooleanField(label=gettext_lazy("Убрать SCORM-пакет из урока"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._scorm_checked = None
        package = self.instance.scorm_package if self.instance.scorm_package_id else None
        limits = _(
            "Архив SCORM 1.2 или SCORM 2004 из iSpring Suite, Articulate и подобных программ, "
            "с imsmanifest.xml в корне, до %(size)s. Урок засчитывается, когда пакет сообщит, что он "
            "пройден (см. docs/scorm.md)."
        ) % {"size": filesizeformat(self._max_size())}
        if package is None:
            self.fields["scorm_upload"].help_text = limits
            del self.fields["scorm_remove"]
        else:
            current = _("Сейчас в уроке: «%(title)s», %(version)s, файлов: %(files)d, загружен %(date)s.") % {
                "title": str(package),
                "version": package.get_version_display(),
                "files": package.file_count,
                "date": formats.date_format(package.uploaded_at, "j E Y"),
            }
            self.fields["scorm_upload"].help_text = f"{current} {_('Новый архив заменит его.')} {limits}"

    @staticmethod
    def _max_size():
        from django.conf import settings

        return settings.SCORM_MAX_UPLOAD_SIZE

    def clean_scorm_upload(self):
        upload = self.cleaned_data.get("scorm_upload")
        if upload:
            try:
                self._scorm_checked = check_package(upload)
            except PackageError as error:
                raise forms.ValidationError(error.message, code="scorm") from None
        return upload

    def _course(self):
        if self.instance.pk:
            return self.instance.get_parent().specific
        return self.parent_page.specific

    def save(self, commit=True):
        page = super().save(commit=False)
        upload = self.cleaned_data.get("scorm_upload")
        if upload and self._scorm_checked is not None:
            page.scorm_package = create_package(
                upload, self._course(), self.for_user, checked=self._scorm_checked
            )
        elif self.cleaned_data.get("scorm_remove"):
            page.scorm_package = None
        if commit:
            page.save()
            self.save_m2m()
        return page
