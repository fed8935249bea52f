"""Who sees and who does what with a letter to municipalities.

* a **recipient** (a coordinator the letter was sent to) reads it and presses «Ознакомлен» — their own
  row only, by ownership, not by the scope;
* **regional managers** (the authorized body) send letters and see every letter and every recipient;
* a **municipal manager** sees the letters that reached their municipality (with its settlements) and
  only the recipients of it (:class:`people.scope.Scope` on the recipient's municipality when sent);
* anybody else: "not found" (never a 403 that confirms the letter exists); the managers' list and the
  form of a new letter are 403 for those who are not managers.
"""

from django.http import Http404

from people.roles import Role, roles_of
from people.scope import Scope

from ..models import Letter, LetterRecipient


def may_send(user):
    """Regional managers (a superuser counts as one) send letters."""
    return user.is_authenticated and Role.REGIONAL_MANAGER in roles_of(user)


def recipients_in(scope, letter=None):
    """The recipients (of ``letter``, or of every letter) a manager with ``scope`` sees."""
    queryset = LetterRecipient.objects.all()
    if letter is not None:
        queryset = queryset.filter(letter=letter)
    return scope.filter(queryset, "municipality")


def letters_in(scope):
    """Letters with at least one recipient in ``scope`` (every letter for the region)."""
    if scope.everything:
        return Letter.objects.all()
    return Letter.objects.filter(pk__in=recipients_in(scope).values("letter_id"))


def _letter_or_404(pk):
    try:
        return Letter.objects.select_related("material", "sent_by").get(pk=pk)
    except (Letter.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_recipient_or_404(user, pk):
    """``(letter, recipient row)`` of the signed-in recipient; anybody else: 404."""
    letter = _letter_or_404(pk)
    recipient = (
        LetterRecipient.objects.filter(letter=letter, user_id=user.pk)
        .select_related("acknowledgement")
        .first()
        if user.is_authenticated
        else None
    )
    if recipient is None:
        raise Http404
    return letter, recipient


def get_for_manager_or_404(scope, pk):
    """A letter the manager's ``scope`` reaches; anything else: 404."""
    letter = _letter_or_404(pk)
    if not scope.everything and not recipients_in(scope, letter).exists():
        raise Http404
    return letter


def scope_of(user):
    return Scope.for_user(user)
