"""Inviting people who have no password yet: by e-mail, or with printed one-time codes."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import directory
from ..links import public_url
from ..mail import kinds
from ..mail.services import Message, enqueue_many
from ..models import Municipality, User
from .models import Invitation
from .tokens import invitation_tokens, valid_for

Channel = Invitation.Channel
REGIONAL = "regional"  # the bucket of people of regional bodies (no municipality)
# Codes: 10 characters of an alphabet without 0/O, 1/I/L, printed as XXXXX-XXXXX (about 49 bits; with
# the login lockout a guess is hopeless).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
WRITE_BATCH = 500
SYSTEM = gettext_lazy("система")


class InvitationError(Exception):
    """Why a person cannot be invited (the message is shown to the manager)."""


def not_activated(queryset=None):
    """Active people who have never set a password (an unusable password starts with "!"); not the
    directory's accounts while directory sign-in is on: they sign in with the directory's password."""
    queryset = User.objects.all() if queryset is None else queryset
    people = queryset.filter(is_active=True, anonymized_at__isnull=True, password__startswith="!")
    if directory.enabled():
        people = people.filter(directory_dn="")
    return people


def acting_name(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return str(SYSTEM)
    return f"{user.get_short_name()} ({user.get_username()})"


# --- buckets: a municipality with its settlements, or the regional bodies --------------------------


@dataclass
class Bucket:
    key: str
    label: str
    municipality: Municipality | None = None

    def people(self, scope):
        """Active people of the bucket within ``scope``."""
        people = scope.people(User.objects.filter(is_active=True, anonymized_at__isnull=True))
        if self.municipality is None:
            return people.filter(municipality__isnull=True)
        return people.in_municipalities([self.municipality.pk])


def buckets(scope):
    """The municipalities a manager invites by (each with its settlements), plus the regional bodies
    for a regional manager."""
    municipalities = list(scope.municipalities().select_related("parent"))
    ids = {m.pk for m in municipalities}
    rows = [
        Bucket(str(m.pk), m.name, m) for m in municipalities if m.parent_id is None or m.parent_id not in ids
    ]
    rows.sort(key=lambda bucket: bucket.label)
    if scope.everything:
        rows.append(Bucket(REGIONAL, _("Региональные органы (без муниципального образования)")))
    return rows


def bucket_or_none(scope, key):
    for bucket in buckets(scope):
        if bucket.key == str(key):
            return bucket
    return None


def bucket_counts(scope, rows):
    """Per bucket key: people, with a password, and without one — with e-mail, without, invited."""
    people = scope.people(User.objects.filter(is_active=True, anonymized_at__isnull=True))
    people = people.alias(invited=Exists(Invitation.objects.filter(person=OuterRef("pk"))))
    waiting = Q(password__startswith="!")
    grouped = (
        people.values("municipality_id", "municipality__parent_id")
        .annotate(
            total=Count("pk"),
            activated=Count("pk", filter=~waiting),
            waiting_email=Count("pk", filter=waiting & ~Q(email="")),
            waiting_no_email=Count("pk", filter=waiting & Q(email="")),
            invited=Count("pk", filter=waiting & Q(invited=True)),
        )
        .order_by()
    )
    keys = {bucket.key for bucket in rows}
    counts = {
        key: dict.fromkeys(("total", "activated", "waiting_email", "waiting_no_email", "invited"), 0)
        for key in keys
    }
    for row in grouped:
        if row["municipality_id"] is None:
            key = REGIONAL
        elif str(row["municipality__parent_id"]) in keys:
            key = str(row["municipality__parent_id"])
        else:
            key = str(row["municipality_id"])
        if key in counts:
            for name, value in row.items():
                if name in counts[key]:
                    counts[key][name] += value
    return counts


# --- by e-mail -------------------------------------------------------------------------------------


@dataclass
class InviteResult:
    sent: int = 0
    without_email: int = 0


def invitation_link(person):
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    return public_url(
        reverse("invitation_confirm", kwargs={"uidb64": uid, "token": invitation_tokens.make_token(person)})
    )


def invitation_message(person, now, priority=None):
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "person": person,
            "login": person.get_username(),
            "link": invitation_link(person),
            "valid_until": timezone.localtime(now + valid_for()),
            "days": settings.INVITATION_VALID_DAYS,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": public_url("/"),
            "login_url": public_url(reverse("login")),
            "reset_url": public_url(reverse("password_reset")),
        }
        subject = " ".join(render_to_string("people/email/invitation_subject.txt", context).split())
        body = render_to_string("people/email/invitation.txt", context)
    return Message(person.email, subject, body, kinds.INVITATION, person=person, priority=priority)


def invite_by_email(people, *, sent_by=None, now=None, priority=None):
    """Send the invitation letter to each of ``people`` (a queryset) who is active, has no password
    yet and has an e-mail address; the others are left out. Call inside the caller's transaction:
    the letters and their record are written with it. Returns an :class:`InviteResult`."""
    now = now or timezone.now()
    people = list(not_activated(people).select_related(None))
    result = InviteResult(without_email=sum(1 for person in people if not person.email))
    with_email = [person for person in people if person.email]
    if not with_email:
        return result
    with transaction.atomic():
        mails = enqueue_many(invitation_message(person, now, priority) for person in with_email)
        Invitation.objects.bulk_create(
            [
                Invitation(
                    person=person,
                    channel=Channel.EMAIL,
                    sent_by=sent_by if sent_by is not None and sent_by.is_authenticated else None,
                    sent_by_name=acting_name(sent_by),
                    created_at=now,
                    expires_at=now + valid_for(),
                    mail=mail if mail.pk is not None else None,
                )
                for person, mail in zip(with_email, mails, strict=True)
            ],
            batch_size=WRITE_BATCH,
        )
    result.sent = len(with_email)
    return result


def invite_person(person, *, sent_by):
    """Send one person the letter again (ahead of bulk mail). Raises :class:`InvitationError`."""
    if not person.is_active or person.anonymized_at is not None:
        raise InvitationError(_("%(person)s — учётная запись неактивна.") % {"person": person})
    if directory.is_managed(person):
        raise InvitationError(
            _("%(person)s входит с учётной записью организации (каталог): приглашение не нужно.")
            % {"person": person}
        )
    if person.has_usable_password():
        raise InvitationError(
            _("%(person)s уже задал(а) пароль: приглашение не нужно, при необходимости — «Забыли пароль?».")
            % {"person": person}
        )
    if not person.email:
        raise InvitationError(
            _("У %(person)s нет email: распечатайте код на странице муниципального образования.")
            % {"person": person}
        )
    return invite_by_email(User.objects.filter(pk=person.pk), sent_by=sent_by, priority=kinds.URGENT)


# --- one-time codes --------------------------------------------------------------------------------


def normalize_code(text):
    """A code as typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())


def format_code(code):
    return f"{code[:5]}-{code[5:]}"


def hash_code(person_pk, code):
    return salted_hmac(
        "people.invitations.code", f"{person_pk}:{normalize_code(code)}", algorithm="sha256"
    ).hexdigest()


@dataclass
class IssuedCode:
    person: User
    code: str  # as printed (XXXXX-XXXXX)
    expires_at: object


def issue_codes(people, *, issued_by, now=None):
    """New one-time codes for those of ``people`` (a queryset) who are active and have no password;
    their earlier codes stop working. The codes exist only in the returned list (stored hashed)."""
    now = now or timezone.now()
    people = list(
        not_activated(people)
        .select_related("organization", "municipality")
        .order_by("organization__name", "last_name", "first_name", "patronymic", "pk")
    )
    if not people:
        return []
    expires_at = now + valid_for()
    issued = []
    rows = []
    for person in people:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        issued.append(IssuedCode(person, format_code(code), expires_at))
        rows.append(
            Invitation(
                person=person,
                channel=Channel.CODE,
                sent_by=issued_by if issued_by is not None and issued_by.is_authenticated else None,
                sent_by_name=acting_name(issued_by),
                created_at=now,
                expires_at=expires_at,
                code_hash=hash_code(person.pk, code),
            )
        )
    with transaction.atomic():
        Invitation.objects.filter(person__in=people).usable_codes(now).update(revoked_at=now)
        Invitation.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    return issued


def find_user(login):
    login = str(login).strip()
    if not login:
        return None
    field = "email__iexact" if "@" in login else "username__iexact"
    return User.objects.filter(**{field: login}).first()


def find_code(login, code, now=None):
    """The usable code invitation of the account ``login`` that ``code`` matches, or ``None``."""
    person = find_user(login)
    if person is None or not person.is_active or person.anonymized_at is not None:
        hash_code(0, code)  # the same work either way
        return None
    wanted = hash_code(person.pk, code)
    for invitation in person.invitations.usable_codes(now):
        if constant_time_compare(invitation.code_hash, wanted):
            invitation.person = person
            return invitation
    return None


class CodeAlreadyUsed(InvitationError):
    pass


def redeem_code(invitation, password, now=None):
    """Set the person's password with a found code, once: the code and any other code they hold stop
    working. Raises :class:`CodeAlreadyUsed` when a parallel request used it first."""
    now = now or timezone.now()
    with transaction.atomic():
        fresh = Invitation.objects.select_for_update().filter(pk=invitation.pk).usable_codes(now).first()
        if fresh is None:
            raise CodeAlreadyUsed(_("Код уже использован или больше не действует."))
        person = User.objects.select_for_update().get(pk=invitation.person_id)
        Invitation.objects.filter(pk=fresh.pk).update(used_at=now)
        person.set_password(password)
        person.save(update_fields=["password"])  # the person's other codes are revoked (User.save)
    return person


def last_invitations(person_ids):
    """``{person_id: the latest Invitation}`` for these people."""
    latest = {}
    for invitation in Invitation.objects.filter(person_id__in=person_ids).order_by(
        "person_id", "-created_at", "-pk"
    ):
        latest.setdefault(invitation.person_id, invitation)
    return latest
