"""Verification codes of certificates: made to be read off paper and typed by hand.

A code is 11 random characters and a check character of Crockford's base32 alphabet (digits and
Latin capitals without I, L, O and U), printed in groups: ``7K3M-Q9XD-4FTB``. About 55 random bits:
guessing one is hopeless, and the check character (Luhn mod 32) catches every single mistyped
character and most swapped neighbours before the database is asked.

What people type is forgiven where it cannot be ambiguous: case, spaces and dashes anywhere (a dash
copied at the end), Cyrillic letters that look like Latin ones (a Russian keyboard layout), and O, I, L
for 0, 1, 1. What cannot be a code is explained by :func:`problem` from the typed text alone, never
from what certificates exist, so the explanation tells nothing about other people's certificates.
"""

import re
import secrets
import unicodedata

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 11
LENGTH = RANDOM_LENGTH + 1  # with the check character
GROUP = 4

# Cyrillic capitals drawn like Latin ones (typed with a Russian layout), then Crockford's readings.
LOOK_ALIKES = str.maketrans("АВЕКМНОРСТХOIL", "ABEKMH0PCTX011")
# Dashes and spaces of every kind separate groups and are ignored.
SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.]+")
# A certificate's number («АК-2024-000123»), typed instead of its code.
NUMBER = re.compile(r"[AА][KК]-?\d{4}-?\d{1,6}", re.IGNORECASE)
# Codes issued before this format: ``secrets.token_urlsafe(12)``, case-sensitive, found only exactly.
LEGACY = re.compile(r"[A-Za-z0-9_-]{16}")


def check_character(payload):
    """Luhn mod 32 over ``payload`` (characters of :data:`ALPHABET`)."""
    total = 0
    for position, character in enumerate(reversed(payload)):
        value = ALPHABET.index(character) * (2 if position % 2 == 0 else 1)
        total += value // len(ALPHABET) + value % len(ALPHABET)
    return ALPHABET[-total % len(ALPHABET)]


def has_valid_check(code):
    return check_character(code[:-1]) == code[-1]


def group(code):
    """``7K3MQ9XD4FTB`` → ``7K3M-Q9XD-4FTB``."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def new_code():
    """A fresh random code, grouped as it is stored and printed."""
    payload = "".join(secrets.choice(ALPHABET) for _i in range(RANDOM_LENGTH))
    return group(payload + check_character(payload))


def compact(typed):
    """The typed text in capitals, look-alikes replaced, separators dropped (not yet checked)."""
    text = unicodedata.normalize("NFKC", str(typed)).upper()
    return SEPARATORS.sub("", text).translate(LOOK_ALIKES)


def normalize(typed):
    """The code as stored (grouped), or ``None`` when the typed text cannot be a code."""
    text = compact(typed)
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text) or not has_valid_check(text):
        return None
    return group(text)


def problem(typed):
    """Why the typed text cannot be a verification code, in Russian, or ``None`` if it can be one."""
    if not str(typed).strip():
        return _("Введите код проверки.")
    if NUMBER.fullmatch(str(typed).strip()):
        return _(
            "Это номер сертификата, а не код проверки. Код проверки напечатан на сертификате рядом "
            "с QR-кодом: 12 цифр и латинских букв вида XXXX-XXXX-XXXX."
        )
    text = compact(typed)
    if LEGACY.fullmatch(str(typed).strip()) and len(text) != LENGTH:
        return _(
            "Коды сертификатов прежнего образца (16 знаков) вводятся точно как напечатаны, с учётом "
            "заглавных и строчных букв."
        )
    foreign = []
    for character in text:
        if character not in ALPHABET and character not in foreign:
            foreign.append(character)
    if foreign:
        return _(
            "В кодах проверки нет таких знаков: %(characters)s. Код состоит из цифр и латинских букв."
        ) % {"characters": ", ".join(f"«{character}»" for character in foreign[:5])}
    if len(text) != LENGTH:
        return _("В коде проверки %(length)s знаков без учёта дефисов, а введено: %(typed)s.") % {
            "length": LENGTH,
            "typed": len(text),
        }
    if not has_valid_check(text):
        return _(
            "В коде опечатка: такой код не может быть выдан. Сверьте каждый знак с сертификатом — "
            "скорее всего, перепутана одна буква или цифра или переставлены соседние знаки."
        )
    return None
