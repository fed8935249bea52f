"""Who may see the figures: managers with the statistics permission, each within their scope."""

from django.core.exceptions import PermissionDenied

from people.scope import Scope
from quizzes.services import catch_up

STATISTICS_PERMISSION = "people.view_municipality_statistics"


def statistics_scope(request):
    """The scope of a manager allowed to see statistics; anybody else is refused (403).

    Sittings left in progress past their deadline are finished first
    (:func:`quizzes.services.catch_up`): every figure counts them as finished at their deadline,
    whether or not the periodic job has run.
    """
    if not request.user.has_perm(STATISTICS_PERMISSION):
        raise PermissionDenied
    scope = Scope.for_user(request.user)
    if scope.is_empty:
        raise PermissionDenied
    catch_up()
    return scope
