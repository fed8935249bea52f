"""Certificates drawn with Pillow: an A4 landscape page at 150 dpi, as PNG or PDF.

Fonts come from ``courses/fonts`` (DejaVu Sans, free; see the README there), never from the
system, so every server draws the same certificate.
"""

import io
from functools import cache
from pathlib import Path

from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"

DPI = 150
SIZE = (1754, 1240)  # A4 landscape, 297 × 210 mm at 150 dpi
MARGIN = 70
INK = (25, 32, 40)
MUTED = (80, 91, 103)
BRAND = (11, 79, 138)


@cache
def font(path, size):
    return ImageFont.truetype(str(path), size)


def wrap(draw, text, face, width):
    """Split ``text`` into lines no wider than ``width`` pixels (long words stay whole)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=face) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _centered(draw, y, text, face, fill=INK, spacing=12):
    """Draw wrapped, centred lines from ``y``; return the y below them."""
    width = SIZE[0] - 2 * MARGIN - 120
    for line in wrap(draw, text, face, width):
        left, top, right, bottom = draw.textbbox((0, 0), line, font=face)
        draw.text(((SIZE[0] - (right - left)) / 2, y), line, font=face, fill=fill)
        y += bottom - top + spacing
    return y


def hours_phrase(hours):
    """«в объёме 8 академических часов» / «… 21 академического часа» / «… 1,5 академического часа»."""
    whole = hours == hours.to_integral_value()
    number = formats.number_format(int(hours) if whole else hours.normalize())
    if not whole or (int(hours) % 10 == 1 and int(hours) % 100 != 11):
        return _("в объёме %(hours)s академического часа") % {"hours": number}
    return _("в объёме %(hours)s академических часов") % {"hours": number}


def render(certificate, verify_url):
    """The certificate as a Pillow image (RGB, 1754×1240)."""
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([30, 30, SIZE[0] - 31, SIZE[1] - 31], outline=BRAND, width=6)
    draw.rectangle([46, 46, SIZE[0] - 47, SIZE[1] - 47], outline=BRAND, width=2)

    y = 120
    y = _centered(draw, y, _("Антикор: обучение"), font(REGULAR, 34), fill=MUTED)
    y = _centered(draw, y + 30, _("СЕРТИФИКАТ"), font(BOLD, 96), fill=BRAND)
    y = _centered(draw, y + 24, _("о прохождении обучения"), font(REGULAR, 38), fill=MUTED)
    y = _centered(draw, y + 50, _("Настоящим подтверждается, что"), font(REGULAR, 34))
    y = _centered(draw, y + 10, certificate.holder_name, font(BOLD, 60))
    y = _centered(draw, y + 20, _("успешно завершил(а) курс"), font(REGULAR, 34))
    y = _centered(draw, y + 10, f"«{certificate.course_title}»", font(BOLD, 44), spacing=14)
    y = _centered(draw, y + 20, hours_phrase(certificate.hours), font(REGULAR, 34))

    facts = [
        _("Номер: %(number)s") % {"number": certificate.number},
        _("Дата выдачи: %(date)s") % {"date": formats.date_format(certificate.issued_on, "d.m.Y")},
        _("Действителен до: %(date)s") % {"date": formats.date_format(certificate.valid_until, "d.m.Y")}
        if certificate.valid_until
        else _("Срок действия не ограничен"),
        _("Код проверки: %(code)s") % {"code": certificate.code},
    ]
    small = font(REGULAR, 28)
    y = SIZE[1] - MARGIN - 60 - 40 * len(facts)
    for line in facts:
        draw.text((MARGIN + 40, y), line, font=small, fill=INK)
        y += 40
    draw.text(
        (MARGIN + 40, y + 10),
        _("Проверить подлинность: %(url)s") % {"url": verify_url},
        font=small,
        fill=BRAND,
    )
    return image


def render_png(certificate, verify_url):
    buffer = io.BytesIO()
    render(certificate, verify_url).save(buffer, "PNG", dpi=(DPI, DPI), optimize=True)
    return buffer.getvalue()


def render_pdf(certificate, verify_url):
    buffer = io.BytesIO()
    render(certificate, verify_url).save(
        buffer, "PDF", resolution=DPI, title=_("Сертификат %(number)s") % {"number": certificate.number}
    )
    return buffer.getvalue()
