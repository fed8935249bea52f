"""What an import writes: new users (with logins and the servant role) and changed fields of known ones."""

import re
import secrets
from collections import defaultdict

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models.functions import Lower

from people.models import User
from people.roles import Role, group_for

from .matching import chunked

# Rows per INSERT/UPDATE; the database backend lowers it further to fit its parameter limit.
WRITE_BATCH = 1000
# A changed field is saved value by value when there are at least this many people per distinct value.
DISTINCT_VALUES_RATIO = 10
_NOT_IN_USERNAME = re.compile(r"[^\w.@+-]+")
# Room left in ``username`` for a "-2" style suffix.
_USERNAME_BASE_LENGTH = User._meta.get_field("username").max_length - 8


class Changes:
    def __init__(self):
        self.new = []
        self.changed = []  # (user, names of the fields that differ)
        self.unchanged = 0

    def add(self, record, user):
        """Plan the record: a new user when ``user`` is ``None``, else an update of ``user`` if it differs."""
        if user is None:
            self.new.append(User(**record.values))
            return
        fields = {name for name, value in record.values.items() if getattr(user, name) != value}
        if not fields:
            self.unchanged += 1
            return
        for name in fields:
            setattr(user, name, record.values[name])
        self.changed.append((user, fields))

    def save(self):
        """Write everything (call inside a transaction)."""
        if self.new:
            assign_usernames(self.new)
            for user in self.new:
                user.password = unusable_password()
            created = User.objects.bulk_create(self.new, batch_size=WRITE_BATCH)
            _make_servants(created)
        for name in sorted({name for _user, fields in self.changed for name in fields}):
            _update_field(name, [user for user, fields in self.changed if name in fields])


def _update_field(name, users):
    """Save one field of these users: one UPDATE per distinct value when values repeat (a new position
    or category for many people), else ``bulk_update`` (its CASE per row is slow in Python)."""
    pks_by_value = defaultdict(list)
    for user in users:
        pks_by_value[getattr(user, name)].append(user.pk)
    if len(pks_by_value) * DISTINCT_VALUES_RATIO > len(users):
        User.objects.bulk_update(users, [name], batch_size=WRITE_BATCH)
        return
    for value, pks in pks_by_value.items():
        for chunk in chunked(pks):
            User.objects.filter(pk__in=chunk).update(**{name: value})


def _make_servants(users):
    if any(user.pk is None for user in users):  # a backend that cannot return ids from a bulk insert
        ids = {}
        for chunk in chunked([user.username for user in users]):
            ids.update(User.objects.filter(username__in=chunk).values_list("username", "pk"))
        for user in users:
            user.pk = ids[user.username]
    membership = User.groups.through
    group = group_for(Role.SERVANT)
    membership.objects.bulk_create(
        [membership(user_id=user.pk, group_id=group.pk) for user in users], batch_size=WRITE_BATCH
    )


def unusable_password():
    """What ``set_unusable_password()`` stores ("!" and 40 random characters), without 40 calls to
    ``secrets.choice`` per user: on a 10,000-row import that alone took a second."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def base_username(user):
    """The email, or "tn" and the personnel number, reduced to the characters a login may have."""
    source = user.email or f"tn{user.personnel_number}"
    return _NOT_IN_USERNAME.sub("-", source)[:_USERNAME_BASE_LENGTH]


def assign_usernames(users):
    """Give each new user a login that no one has (case-insensitively): the base name, else base-2, base-3…

    The same file against the same database always yields the same logins. Existing logins are
    checked in a few queries per round; a second round is only needed for the rare clash.
    """
    bases = [base_username(user) for user in users]
    attempt = [1] * len(users)
    checked, taken = set(), set()
    pending = list(range(len(users)))
    while pending:
        candidates = {i: bases[i] if attempt[i] == 1 else f"{bases[i]}-{attempt[i]}" for i in pending}
        unchecked = {name.lower() for name in candidates.values()} - checked
        taken |= _existing_usernames(unchecked)
        checked |= unchecked
        retry = []
        for i in pending:
            name = candidates[i]
            if name.lower() in taken:
                attempt[i] += 1
                retry.append(i)
            else:
                taken.add(name.lower())
                users[i].username = name
        pending = retry


def _existing_usernames(lowered):
    found = set()
    for chunk in chunked(sorted(lowered)):
        found.update(
            User.objects.annotate(login=Lower("username"))
            .filter(login__in=chunk)
            .values_list("login", flat=True)
        )
    return found
