"""Who sees and who does what with a consultation.

* the **asker** sees their own questions (ownership, not the scope), follows up and closes them;
* **regional managers** (the authorized body) see every question, answer, close and publish;
* a **municipal manager** sees the questions of their municipality and its settlements
  (:class:`people.scope.Scope` on the question's municipality), read-only;
* anybody else: "not found" (never a 403 that confirms the question exists).
"""

from django.db.models import Q
from django.http import Http404

from people.roles import Role, roles_of
from people.scope import Scope

from ..models import Consultation

ASKER, ANSWERER, OBSERVER = "asker", "answerer", "observer"


def may_answer(user):
    """Regional managers (a superuser counts as one) answer and publish."""
    return Role.REGIONAL_MANAGER in roles_of(user)


def visible_to(user, queryset=None):
    """The consultations ``user`` may open: their own plus those of their manager's scope."""
    queryset = Consultation.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    scope = Scope.for_user(user)
    if scope.everything:
        return queryset
    own = Q(asker=user)
    if scope.is_empty:
        return queryset.filter(own)
    return queryset.filter(own | Q(pk__in=scope.filter(Consultation.objects.all()).values("pk")))


def relation(user, consultation):
    """``ASKER``, ``ANSWERER``, ``OBSERVER`` or None: what ``user`` is to ``consultation``."""
    if not user.is_authenticated:
        return None
    if consultation.asker_id == user.pk:
        return ASKER
    if may_answer(user):
        return ANSWERER
    scope = Scope.for_user(user)
    if not scope.is_empty and scope.covers_municipality(consultation.municipality):
        return OBSERVER
    return None


def get_for_user_or_404(user, pk):
    """``(consultation, relation)``; a question the user may not see is "not found"."""
    try:
        consultation = Consultation.objects.select_related(
            "asker", "topic", "municipality__parent", "organization", "faq_page"
        ).get(pk=pk)
    except (Consultation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    role = relation(user, consultation)
    if role is None:
        raise Http404
    return consultation, role
