"""Public verification of a certificate by its code, typed or scanned.

Anyone may check a certificate; what they learn is only what the paper says (the holder's name as
printed, the course, hours, dates, validity and the issuer), never anything else about the person.
Every unknown code gets the same answer; a typed text that cannot be a code gets an explanation drawn
from the text alone (:func:`courses.codes.problem`), so no answer helps to find other certificates.
"""

from dataclasses import dataclass

from django.utils import timezone

from . import codes
from .models import Certificate

TYPED_LIMIT = 100  # characters kept of what was typed (a code has 14 with its dashes)


@dataclass(frozen=True)
class Verification:
    typed: str  # what was typed, stripped and cut to TYPED_LIMIT
    certificate: Certificate | None = None
    problem: str | None = None  # why the text cannot be a code (Russian), if it cannot

    @property
    def found(self):
        return self.certificate is not None

    def is_canonical(self):
        """True when the code was given exactly as stored (the address to show it at)."""
        return self.found and self.typed == self.certificate.code

    def is_valid(self, today=None):
        return self.found and self.certificate.is_valid(today or timezone.localdate())


def verify(typed):
    typed = str(typed or "").strip()[:TYPED_LIMIT]
    certificate = Certificate.objects.by_code(typed) if typed else None
    if certificate is not None:
        return Verification(typed, certificate)
    return Verification(typed, problem=codes.problem(typed))
