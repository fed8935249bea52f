"""Authentication: login by username or email, and the login lockout (django-axes) around it."""

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def _find_user(login):
    user_model = get_user_model()
    login = login.strip()
    field = "email__iexact" if "@" in login else "username__iexact"
    return user_model._default_manager.filter(**{field: login}).first()


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the login name or with the email address (case-insensitive)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = _find_user(username)
        if user is None:
            get_user_model()().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class LoginLockoutBackend(AxesStandaloneBackend):
    """Refuses a login while its login name + address is locked out (checked before the password).

    A login without a request is not an HTTP login (the test client's ``login()``, a shell): there is
    no address to count it against, so it is left to the next backend. Every login form (the site,
    the Wagtail admin, the Django admin) passes the request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


# django-axes stores the key in a 255-character column; a login typed longer matches no account anyway.
LOCKOUT_KEY_MAX = 255


def lockout_username(request, credentials):
    """The key failures are counted under (AXES_USERNAME_CALLABLE): one per account, so the email and
    the login name of one person count together; a login that matches no account is counted as typed
    (case-folded, cut to what the lockout's table holds), so guessing names is limited too."""
    login = (credentials or {}).get("username")
    if login is None:
        login = request.POST.get("username", "")
    login = str(login).strip()
    if not login:
        return ""
    user = _find_user(login)
    if user is not None:
        return user.get_username().casefold()
    return login.casefold()[:LOCKOUT_KEY_MAX]


def client_ip(request):
    """The client address for the lockout (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless the request came from one of ``TRUSTED_PROXIES`` (addresses or networks of our
    own nginx): then the right-most address of X-Forwarded-For that is not a trusted proxy. A client
    cannot forge its address by sending the header itself: only what our proxies appended is read.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = _trusted_networks()
    if not trusted or not _in(remote, trusted):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if not _is_address(address):
            break  # a malformed entry: nothing to the left of it can be believed
        if not _in(address, trusted):
            return address
    return remote


def _trusted_networks():
    networks = []
    for entry in getattr(settings, "TRUSTED_PROXIES", ()):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return networks


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _in(address, networks):
    if not _is_address(address):
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in networks)
