"""The Wagtail image upload form, with one more check than Wagtail's own.

Wagtail identifies an upload by its first bytes, then asks Pillow for the pixel size; a file that
starts like a GIF or PNG but is broken makes Pillow raise, and Wagtail lets that become a 500
(wagtail/wagtail#1354). Here it is the form error "not a valid image" instead.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class CheckedImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except ValidationError:
            raise
        except (OSError, ValueError, SyntaxError):  # Pillow could not read it after all
            raise ValidationError(
                _("Файл повреждён или не является изображением."), code="invalid_image"
            ) from None


class ImageForm(BaseImageForm):
    """``WAGTAILIMAGES_IMAGE_FORM_BASE``: Wagtail's form with the file field checked as above."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wagtail_field = self.fields.get("file")
        if wagtail_field is not None:
            self.fields["file"] = CheckedImageField(
                label=wagtail_field.label,
                required=wagtail_field.required,
                widget=wagtail_field.widget,
                help_text=wagtail_field.help_text,
            )
