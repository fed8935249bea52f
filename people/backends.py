"""Authentication: login by username or email, sign-in with the organization's directory, and the login
lockout (django-axes) around both."""

import functools
import ipaddress
import logging

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.dispatch import receiver
from django_auth_ldap.backend import LDAPBackend, ldap_error

from . import directory
from .statements import prepared_cursor

logger = logging.getLogger(__name__)


def _find_user(login):
    user_model = get_user_model()
    login = login.strip()
    field = "email__iexact" if "@" in login else "username__iexact"
    return user_model._default_manager.filter(**{field: login}).first()


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the login name or with the email address (case-insensitive).

    A directory account is refused while directory sign-in is on (:func:`people.directory.is_managed`):
    only the directory checks its password, so a password set here (by an admin, an old invitation)
    cannot let in a person the directory has removed or disabled.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = _find_user(username)
        if user is None or directory.is_managed(user):
            get_user_model()().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in person of a session (every request of a signed-in person asks), or None.

        ModelBackend's ``get(pk=…)``, as one plain query written once per process (and prepared once per
        connection) and the ORM's own conversion of each column: compiling the ORM's query cost more CPU
        than running it, a fifth of a start in the synchronized start's profile (docs/performance.md).
        """
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        sql, names, columns, converters = _user_by_pk()
        with prepared_cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for index, field_converters in converters:
            for converter in field_converters:
                values[index] = converter(values[index], columns[index], connection)
        user = user_model.from_db(connection.alias, names, values)
        return user if self.user_can_authenticate(user) else None


@functools.cache
def _user_by_pk():
    """The user query, its fields' names, its columns (as ORM expressions) and the converters of each (as
    the ORM's compiler finds them): built once per process."""
    user_model = get_user_model()
    quote = connection.ops.quote_name
    table = user_model._meta.db_table
    fields = user_model._meta.concrete_fields
    columns = [field.get_col(table) for field in fields]
    sql = (
        f"SELECT {', '.join(quote(field.column) for field in fields)} FROM {quote(table)}"
        f" WHERE {quote(user_model._meta.pk.column)} = %s"
    )
    converters = [
        (index, found)
        for index, column in enumerate(columns)
        if (found := connection.ops.get_db_converters(column) + column.get_db_converters(connection))
    ]
    return sql, [field.attname for field in fields], columns, converters


class DirectoryBackend(LDAPBackend):
    """Sign-in with the organization's directory (Active Directory / OpenLDAP) through django-auth-ldap.

    django-auth-ldap finds the entry (``DIRECTORY_USER_SEARCH_BASE`` + ``DIRECTORY_USER_FILTER``), binds
    as it with the password, checks ``DIRECTORY_REQUIRE_GROUP`` and reads the groups; everything about
    the account here — which one it is, what is written into it, its roles — is
    :mod:`people.directory`'s, done in one transaction after the directory has answered (no database
    transaction waits on the network). Listed in AUTHENTICATION_BACKENDS only while
    AUTH_LDAP_SERVER_URI is set, after the lockout and the local accounts.

    A directory that does not answer is remembered on the request (the login form says so) and the
    login fails like a wrong password: local accounts are checked before and still sign in.
    """

    def __init__(self):
        self._login = None
        self._entry = None

    @property
    def settings(self):
        if self._settings is None:
            self._settings = directory.ldap_settings()
        return self._settings

    @settings.setter
    def settings(self, value):
        self._settings = value

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or not password:
            return None
        self._login = username
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_or_build_user(self, username, ldap_user):
        """Called by django-auth-ldap once the directory has accepted the password. Reads all the
        directory has to say (the groups too) and finds the account, but writes nothing: the account
        is returned as not "built", so the library saves nothing either (:meth:`authenticate_ldap_user`
        does, in one transaction)."""
        group_dns = ldap_user.group_dns if self.settings.GROUP_SEARCH is not None else ()
        self._entry = directory.Entry.of(ldap_user.dn, ldap_user.attrs, group_dns)
        user = directory.find_account(username, self._entry)
        return (user or directory.new_account(username)), False

    def authenticate_ldap_user(self, ldap_user, password):
        try:
            user = ldap_user.authenticate(password)
        except directory.Refused as refusal:
            logger.warning("Directory sign-in of %r refused: %s", self._login, refusal)
            return None
        if user is None:
            return None
        try:
            with transaction.atomic():
                return directory.update_account(user, self._entry)
        except IntegrityError:  # the same person's first sign-in in two tabs at once: one made the account
            logger.warning("Directory sign-in of %r: the account changed meanwhile", self._login)
            return None

    def get_user(self, user_id):
        """The signed-in person of a session; an account deactivated since is signed out."""
        user = super().get_user(user_id)
        if user is None or not user.is_active:
            return None
        return user


@receiver(ldap_error, sender=DirectoryBackend)
def _directory_unavailable(sender, context, user, request, exception, **kwargs):
    """django-auth-ldap caught an LDAP error (down, timed out, the service account refused): not the
    person's wrong password, which it reports as a plain failure."""
    directory.note_unavailable(request, exception)


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
