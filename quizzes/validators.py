from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

QUESTION_IMAGE_MAX_BYTES = 2 * 1024 * 1024


def validate_question_image(file):
    """A question illustration: at most 2 MB and a picture Pillow can read."""
    from PIL import Image

    if file.size > QUESTION_IMAGE_MAX_BYTES:
        raise ValidationError(
            _("Изображение больше %(limit)s."),
            code="image_too_large",
            params={"limit": filesizeformat(QUESTION_IMAGE_MAX_BYTES)},
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
    except Exception:
        raise ValidationError(_("Файл не является изображением."), code="invalid_image") from None
    finally:
        if position is not None:
            file.seek(position)
