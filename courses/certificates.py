"""A certificate as a document: a one-page A4 landscape PDF with real text, and the same as a PNG image.

The PDF goes through the shared writer :mod:`people.pdf` (fpdf2, the fonts embedded from
``people/fonts``), so its text can be searched, copied and read by a screen reader. The PNG is drawn
with Pillow for people who want a picture; both say the same things (:func:`contents`).

A certificate names the person, the course and its hours, the date of issue and the validity, its
number and verification code, the issuing body and the signatory (``CERTIFICATE_*`` settings), and
carries a QR code (segno) of its public verification address, built from ``SITE_URL``: whoever holds
the paper can check it on the site, by the QR code or by typing the code.
"""

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from people.links import public_url
from people.pdf import Document, clean_text

# --- what a certificate says ------------------------------------------------------------------------

COURSE_LIMIT = 300  # characters of a course's title printed (Wagtail titles have at most 255)


def hours_phrase(hours):
    """«в объёме 8 академических часов» / «… 21 академического часа» / «… 1,5 академического часа»."""
    whole = hours == hours.to_integral_value()
    number = formats.number_format(int(hours) if whole else hours.normalize())
    if not whole or (int(hours) % 10 == 1 and int(hours) % 100 != 11):
        return _("в объёме %(hours)s академического часа") % {"hours": number}
    return _("в объёме %(hours)s академических часов") % {"hours": number}


def verification_url(certificate):
    """The public address that checks this certificate (the QR code's content): ``SITE_URL``, whatever
    host the download came through."""
    return public_url(certificate.get_verify_url())


def long_date(date):
    """«15 марта 2025 г.»"""
    return _("%(date)s г.") % {"date": formats.date_format(date, "j E Y")}


@dataclass(frozen=True)
class Contents:
    issuer: str
    holder: str
    course: str
    hours: str
    facts: tuple  # (label, value) pairs: number, date of issue, validity, verification code
    code: str
    signatory_position: str
    signatory_name: str
    url: str  # this certificate's verification page
    form_url: str  # the page where any code can be typed


def contents(certificate):
    if certificate.valid_until:
        validity = (_("Действителен до"), long_date(certificate.valid_until))
    else:
        validity = (_("Срок действия"), _("не ограничен"))
    return Contents(
        issuer=settings.CERTIFICATE_ISSUER,
        holder=certificate.holder_name,
        course=_("«%(title)s»") % {"title": clean_text(certificate.course_title, COURSE_LIMIT)},
        hours=hours_phrase(certificate.hours),
        facts=(
            (_("Номер"), certificate.number),
            (_("Дата выдачи"), long_date(certificate.issued_on)),
            validity,
            (_("Код проверки"), certificate.code),
        ),
        code=certificate.code,
        signatory_position=settings.CERTIFICATE_SIGNATORY_POSITION,
        signatory_name=settings.CERTIFICATE_SIGNATORY_NAME,
        url=verification_url(certificate),
        form_url=public_url(reverse("certificate_verify_form")),
    )


def qr_code(url):
    """The QR code of ``url``: a full QR symbol (never a Micro QR), error correction M or better."""
    return segno.make(url, error="m", micro=False)


QR_BORDER = 4  # modules of quiet zone around the symbol, as the standard asks
QR_SCALE = 8  # pixels per module in the PNG embedded in the PDF: sharp at any zoom


def qr_png(url, scale=QR_SCALE):
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=scale, border=QR_BORDER)
    return buffer.getvalue()


# --- the PDF ---------------------------------------------------------------------------------------

PAGE_W, PAGE_H = 297, 210  # A4 landscape, mm
LEFT, RIGHT = 25, 272  # text between the frame's inner margins
WIDTH = RIGHT - LEFT
BOTTOM_BLOCK = 138  # top of the facts, signature and QR code
QR_SIZE = 36  # mm, quiet zone included
BRAND_RGB = (11, 79, 138)
GREY_RGB = (80, 91, 103)


def render_pdf(certificate):
    """The certificate as a one-page PDF (bytes)."""
    text = contents(certificate)
    document = Document(
        _("Сертификат № %(number)s") % {"number": certificate.number},
        orientation="landscape",
        page_numbers=False,
    )
    document.set_subject(text.course)
    document.set_author(clean_text(text.issuer))
    document.set_auto_page_break(auto=False)
    document.add_page()

    document.set_draw_color(*BRAND_RGB)
    document.set_line_width(1.2)
    document.rect(10, 10, PAGE_W - 20, PAGE_H - 20)
    document.set_line_width(0.3)
    document.rect(13, 13, PAGE_W - 26, PAGE_H - 26)
    document.set_draw_color(0)

    y = document.text_box(LEFT, 20, WIDTH, text.issuer, size=11, align="C", color=GREY_RGB, limit=300)
    y = document.text_box(LEFT, y + 4, WIDTH, _("СЕРТИФИКАТ"), size=34, bold=True, align="C", color=BRAND_RGB)
    y = document.text_box(LEFT, y + 1, WIDTH, _("о прохождении обучения"), size=14, align="C", color=GREY_RGB)
    y = document.text_box(LEFT, y + 6, WIDTH, _("Настоящим подтверждается, что"), size=12, align="C")
    size = document.fitting_size(text.holder, WIDTH, (22, 20, 18, 16, 14), max_lines=1, bold=True)
    y = document.text_box(LEFT, y + 2, WIDTH, text.holder, size=size, bold=True, align="C", limit=200)
    y = document.text_box(LEFT, y + 2, WIDTH, _("успешно прошёл(а) обучение по курсу"), size=12, align="C")
    size = document.fitting_size(text.course, WIDTH, (18, 16, 14, 12, 11), max_lines=2, bold=True)
    y = document.text_box(LEFT, y + 2, WIDTH, text.course, size=size, bold=True, align="C")
    document.text_box(LEFT, y + 2, WIDTH, text.hours, size=12, align="C")

    # Facts on the left.
    y = BOTTOM_BLOCK
    for label, value in text.facts:
        document.text_box(LEFT, y, 34, _("%(label)s:") % {"label": label}, size=10, color=GREY_RGB)
        document.text_box(LEFT + 34, y, 70, value, size=10, bold=True)
        y += 6.5

    # The signature in the middle.
    x = LEFT + 110
    y = document.text_box(x, BOTTOM_BLOCK, 90, text.signatory_position, size=10, limit=200)
    y = max(y + 9, BOTTOM_BLOCK + 17)
    document.set_draw_color(0)
    document.set_line_width(0.2)
    document.line(x, y, x + 40, y)
    if text.signatory_name:
        document.text_box(x + 43, y - 4.5, 47, text.signatory_name, size=10, bold=True, limit=100)
    else:
        document.line(x + 45, y, x + 90, y)
    document.text_box(x, y + 0.5, 40, _("подпись"), size=7, align="C", color=GREY_RGB)
    if not text.signatory_name:
        document.text_box(x + 45, y + 0.5, 45, _("фамилия, инициалы"), size=7, align="C", color=GREY_RGB)

    # The QR code on the right, the addresses below everything.
    document.image(
        io.BytesIO(qr_png(text.url)),
        x=RIGHT - QR_SIZE + 2,  # the quiet zone may reach into the margin
        y=BOTTOM_BLOCK - 4,
        w=QR_SIZE,
        h=QR_SIZE,
        link=text.url,
        alt_text=_("QR-код для проверки сертификата: %(url)s") % {"url": text.url},
    )
    note = _("Проверить подлинность: %(url)s — или введите код проверки на странице %(form)s") % {
        "url": text.url,
        "form": text.form_url,
    }
    document.text_box(LEFT, 180, WIDTH - QR_SIZE + 4, note, size=8, color=GREY_RGB, limit=500)
    return document.to_bytes()


# --- the PNG ---------------------------------------------------------------------------------------

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"

DPI = 150
SIZE = (1754, 1240)  # A4 landscape, 297 × 210 mm at 150 dpi
MARGIN = 70
INK = (25, 32, 40)
MUTED = GREY_RGB
BRAND = BRAND_RGB


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


def render(certificate):
    """The certificate as a Pillow image (RGB, 1754×1240): the PDF's contents, drawn."""
    text = contents(certificate)
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([30, 30, SIZE[0] - 31, SIZE[1] - 31], outline=BRAND, width=6)
    draw.rectangle([46, 46, SIZE[0] - 47, SIZE[1] - 47], outline=BRAND, width=2)

    y = 100
    y = _centered(draw, y, clean_text(text.issuer, 300), font(REGULAR, 28), fill=MUTED, spacing=8)
    y = _centered(draw, y + 24, _("СЕРТИФИКАТ"), font(BOLD, 88), fill=BRAND)
    y = _centered(draw, y + 16, _("о прохождении обучения"), font(REGULAR, 36), fill=MUTED)
    y = _centered(draw, y + 36, _("Настоящим подтверждается, что"), font(REGULAR, 32))
    y = _centered(draw, y + 10, clean_text(text.holder, 200), font(BOLD, 56))
    y = _centered(draw, y + 16, _("успешно прошёл(а) обучение по курсу"), font(REGULAR, 32))
    y = _centered(draw, y + 10, text.course, font(BOLD, 42), spacing=14)
    _centered(draw, y + 16, text.hours, font(REGULAR, 32))

    small, bold_small = font(REGULAR, 26), font(BOLD, 26)
    y = SIZE[1] - MARGIN - 330
    for label, value in text.facts:
        label_text = _("%(label)s:") % {"label": label}
        draw.text((MARGIN + 40, y), label_text, font=small, fill=MUTED)
        draw.text((MARGIN + 320, y), value, font=bold_small, fill=INK)
        y += 40
    x, y = MARGIN + 700, SIZE[1] - MARGIN - 330
    for line in wrap(draw, clean_text(text.signatory_position, 200), small, 600):
        draw.text((x, y), line, font=small, fill=INK)
        y += 36
    y += 50
    draw.line([x, y, x + 240, y], fill=INK, width=2)
    if text.signatory_name:
        draw.text((x + 260, y - 34), clean_text(text.signatory_name, 100), font=bold_small, fill=INK)
    else:
        draw.line([x + 270, y, x + 520, y], fill=INK, width=2)

    qr = Image.open(io.BytesIO(qr_png(text.url, scale=5))).convert("RGB")
    image.paste(qr, (SIZE[0] - MARGIN - 20 - qr.width, SIZE[1] - MARGIN - 340))
    note = _("Проверить подлинность: %(url)s") % {"url": text.url}
    draw.text((MARGIN + 40, SIZE[1] - MARGIN - 70), note, font=font(REGULAR, 22), fill=MUTED)
    return image


def render_png(certificate):
    buffer = io.BytesIO()
    render(certificate).save(buffer, "PNG", dpi=(DPI, DPI), optimize=True)
    return buffer.getvalue()
