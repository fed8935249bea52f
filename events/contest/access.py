"""Who reaches which page of the contest.

* **Contestants** are not users of the site (:class:`events.models.Contestant`, not ``people.User``).
  Signing in to the contest puts the contestant's id, with a hash of their password, in the session
  under a key of its own; Django's ``request.user`` stays anonymous. So every servants' page (the
  cabinet, courses, tests, the API, the admin) treats a signed-in contestant as an anonymous visitor:
  a login redirect or 401/403, without a check in each of those views.
* **Jurors**: users with the role «Член жюри» (``Role.JURY``) whom the organizers put on a contest's jury
  list (``Contest.jurors``); each sees and scores the works of those contests only, by their codes.
* **Organizers** of the contest: the organizer role and regional managers (a superuser counts).
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare, salted_hmac

from people.roles import Role, roles_of

from ..models import Contest, Contestant, Work

SESSION_KEY = "contest_contestant"
ORGANIZER_ROLES = frozenset({Role.ORGANIZER, Role.REGIONAL_MANAGER})


def _password_hash(contestant):
    return salted_hmac("events.contest.session", contestant.password).hexdigest()


def sign_in(request, contestant):
    request.session.cycle_key()  # no session fixation
    request.session[SESSION_KEY] = {"id": contestant.pk, "hash": _password_hash(contestant)}


def sign_out(request):
    request.session.pop(SESSION_KEY, None)


def current_contestant(request):
    """The contestant signed in in this session, or None (also after a password change or erasure)."""
    value = request.session.get(SESSION_KEY)
    if not isinstance(value, dict):
        return None
    contestant = (
        Contestant.objects.select_related("contest").filter(pk=value.get("id"), data_erased_at=None).first()
    )
    if contestant is None or not constant_time_compare(str(value.get("hash")), _password_hash(contestant)):
        return None
    return contestant


def is_juror(user):
    return user.is_authenticated and Role.JURY in roles_of(user)


def is_contest_juror(user, contest):
    """A juror (the role) on this contest's jury list."""
    return is_juror(user) and contest.jurors.filter(pk=user.pk).exists()


def is_organizer(user):
    return user.is_authenticated and bool(roles_of(user) & ORGANIZER_ROLES)


def _require(request, check):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not check(request.user):
        raise PermissionDenied
    return None


def require_juror(request):
    """None when the request may go on; else a login redirect (or a 403 raised)."""
    return _require(request, is_juror)


def require_organizer(request):
    return _require(request, is_organizer)


def contest_or_404(pk):
    try:
        return Contest.objects.get(pk=pk)
    except (Contest.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def work_or_404(pk):
    try:
        return Work.objects.select_related("contest", "contestant", "nomination", "age_group").get(pk=pk)
    except (Work.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def contestant_for(request, contest):
    """The signed-in contestant of ``contest``, or a redirect to the contest's sign-in."""
    contestant = current_contestant(request)
    if contestant is None or contestant.contest_id != contest.pk:
        return None, redirect("contest:sign_in", pk=contest.pk)
    return contestant, None


def require_contest_juror(request, contest):
    """As :func:`require_juror`, and the juror must be on ``contest``'s jury list (else 403)."""
    return _require(request, lambda user: is_contest_juror(user, contest))


def may_download_work(request, work):
    if is_organizer(request.user) or is_contest_juror(request.user, work.contest):
        return True
    contestant = current_contestant(request)
    return contestant is not None and contestant.pk == work.contestant_id


def may_download_consent(request, contestant):
    if is_organizer(request.user):
        return True
    current = current_contestant(request)
    return current is not None and current.pk == contestant.pk
