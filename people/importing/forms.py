from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .readers import EXTENSIONS, detect_format, extension
from .report import ImportFileError

DEFAULT_MAX_UPLOAD_SIZE = 20 * 1024 * 1024


def max_upload_size():
    return getattr(settings, "PEOPLE_IMPORT_MAX_UPLOAD_SIZE", DEFAULT_MAX_UPLOAD_SIZE)


def _help_text():
    return gettext(
        "CSV (UTF-8 или Windows-1251, разделитель «;» или «,») или XLSX, не больше %(size)s. "
        "Первая строка — заголовки столбцов."
    ) % {"size": filesizeformat(max_upload_size())}


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Файл со списком людей"),
        help_text=lazy(_help_text, str)(),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in sorted(EXTENSIONS))}),
    )
    skip_invalid = forms.BooleanField(
        label=_("Пропускать строки с ошибками"),
        required=False,
        help_text=_(
            "Импортировать правильные строки, а ошибочные только показать. Без отметки при любой "
            "ошибке не импортируется ничего."
        ),
    )
    full_roster = forms.BooleanField(
        label=_("Полный список организаций (увольнения)"),
        required=False,
        help_text=_(
            "Файл — полный текущий состав каждой организации, названной в нём. Слушатели этих "
            "организаций, которых нет в файле, будут деактивированы (история обучения сохраняется), "
            "неактивные слушатели из файла снова станут активными. Людей с другими ролями импорт не "
            "деактивирует. Сначала нажмите «Только проверить»."
        ),
    )
    invite = forms.BooleanField(
        label=_("Пригласить новых людей по email"),
        required=False,
        help_text=_(
            "Новые люди с email получат письмо со ссылкой для создания пароля. Людям без email коды для "
            "входа печатает координатор на странице «Приглашения»."
        ),
    )
    confirm_deactivation = forms.BooleanField(
        label=_("Подтверждаю деактивацию, несмотря на предупреждения"),
        required=False,
        help_text=_(
            "Нужно, если файл деактивирует больше допустимой доли работников организации или в нём "
            "есть строки с ошибками."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if extension(upload.name) not in EXTENSIONS:
            raise ValidationError(_("Загрузите файл CSV или XLSX."), code="extension")
        if upload.size > max_upload_size():
            raise ValidationError(
                _("Файл больше %(size)s.") % {"size": filesizeformat(max_upload_size())}, code="size"
            )
        upload.seek(0)
        try:
            detect_format(upload.read(), upload.name)
        except ImportFileError as exc:
            raise ValidationError(capfirst(str(exc)), code="content") from None
        upload.seek(0)
        return upload
