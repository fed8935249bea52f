"""Anonymizing people who left, and the retention rules of ``people`` itself.

A person inactive for longer than ``RETENTION_LEAVERS_YEARS`` (counted from ``User.deactivated_at``)
keeps the row, so every count stays what it was — their enrolments, sittings, certificates,
registrations and check-ins still count in the figures of their municipality and organization —
but loses everything that says who they were:

* name → the pseudonym «Удалён №<id>» (stable: the same id gives the same pseudonym), login →
  ``deleted-<id>``, email, personnel number, position and directory entry (DN) blanked, the password
  made unusable, the last login forgotten;
* the HR-service flag, roles, permissions, staff and superuser status and the managed municipality
  cleared;
* kept: municipality, organization and service category (what the figures are grouped by), the two
  duty flags (anti-corruption, procurement) and the hire date (what plan items 5.7, 5.8 and 5.9 count
  by, so a past year's report stays the same), the account's creation and deactivation dates — none
  of which names a person once the name, login and contacts are gone;
* their login-log entries (django-axes, by the old login and email) deleted; the admin history of
  the account (Django and Wagtail) names the pseudonym;
* every app's own free texts of the person through the erasers registered with
  :func:`register_eraser` (answers in sittings, live questions, the name on certificates).

The export audit log keeps the login of who exported (its entries are never changed; they go as a
whole after ``RETENTION_AUDIT_YEARS``).
"""

from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import User
from .retention import RetentionRule, register_rule

BATCH = 500
_ERASERS = []


def register_eraser(eraser):
    """``eraser(user_ids)`` removes an app's personal data of people being anonymized (called inside
    the anonymization's transaction, after their own rows have changed)."""
    if eraser not in _ERASERS:
        _ERASERS.append(eraser)
    return eraser


def pseudonym(pk):
    """What an anonymized person is called everywhere: «Удалён №123»."""
    return _("Удалён №%(number)s") % {"number": pk}


def pseudonymous_username(pk):
    return f"deleted-{pk}"


def anonymize_people(people, now):
    """Anonymize these people (a queryset of users); returns how many. Only inactive people are
    anonymized (deactivate first); the anonymized already are skipped, so it is idempotent."""
    people = people.filter(is_active=False, anonymized_at__isnull=True)
    ids = list(people.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        _anonymize(ids[start : start + BATCH], now)
    return len(ids)


def _anonymize(ids, now):
    logins = set()
    unusable = make_password(None)
    user_type = ContentType.objects.get_for_model(User)
    for pk, username, email in User.objects.filter(pk__in=ids).values_list("pk", "username", "email"):
        logins.update(value for value in (username, email) if value)
        name = pseudonym(pk)
        User.objects.filter(pk=pk).update(
            username=_free_username(pk),
            first_name="",
            last_name=name,
            patronymic="",
            email="",
            personnel_number="",
            position="",
            directory_dn="",
            is_hr_service=False,
            is_staff=False,
            is_superuser=False,
            managed_municipality=None,
            password=unusable,
            last_login=None,
            anonymized_at=now,
        )
        LogEntry.objects.filter(content_type=user_type, object_id=str(pk)).update(object_repr=name)
        _wagtail_log_entries().filter(content_type=user_type, object_id=str(pk)).update(label=name)
    User.groups.through.objects.filter(user_id__in=ids).delete()
    User.user_permissions.through.objects.filter(user_id__in=ids).delete()
    _forget_avatars(ids)
    _login_log_of(logins)
    for eraser in _ERASERS:
        eraser(ids)


def _free_username(pk):
    """``deleted-<id>``, unless somebody else happens to have that login."""
    username = pseudonymous_username(pk)
    while User.objects.filter(username=username).exclude(pk=pk).exists():
        username += "_"
    return username


def _wagtail_log_entries():
    from wagtail.models import ModelLogEntry

    return ModelLogEntry.objects.all()


def _forget_avatars(ids):
    from wagtail.users.models import UserProfile

    for profile in UserProfile.objects.filter(user_id__in=ids).exclude(avatar=""):
        profile.avatar.delete(save=False)
        UserProfile.objects.filter(pk=profile.pk).update(avatar="")


def _axes_models():
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return AccessAttempt, AccessFailureLog, AccessLog


def _login_log_of(logins):
    if not logins:
        return
    for model in _axes_models():
        model.objects.filter(username__in=logins).delete()


# --- the rules of people --------------------------------------------------------------------------


def _leavers_count(cutoff):
    return User.objects.past_retention(cutoff).count()


def _leavers_apply(cutoff, now):
    return anonymize_people(User.objects.past_retention(cutoff), now)


def _login_log_due(cutoff):
    return [model.objects.filter(attempt_time__lt=cutoff) for model in _axes_models()]


def _login_log_count(cutoff):
    return sum(queryset.count() for queryset in _login_log_due(cutoff))


def _login_log_apply(cutoff, now):
    deleted = 0
    for queryset in _login_log_due(cutoff):
        deleted += queryset.delete()[1].get(queryset.model._meta.label, 0)
    return deleted


LEAVERS = RetentionRule(
    key="leavers",
    label=gettext_lazy("Учётные записи уволившихся"),
    setting="RETENTION_LEAVERS_YEARS",
    default_years=3,
    counted_from=gettext_lazy("после отключения учётной записи"),
    outcome=gettext_lazy(
        "Удаляются фамилия, имя, отчество, логин, адрес электронной почты, табельный номер, должность, "
        "роли, а также ответы в тестах, вопросы на мероприятиях и ФИО в сертификатах. Записи на курсы, "
        "результаты тестов, сертификаты, регистрации и отметки о присутствии, а также категория службы, "
        "дата поступления на службу и отметки об обязанностях по противодействию коррупции и участию "
        "в закупках остаются в статистике муниципального образования и организации (по ним считаются "
        "пункты плана), но без имени."
    ),
    count=_leavers_count,
    apply=_leavers_apply,
    done=gettext_lazy("обезличено"),
    would=gettext_lazy("будет обезличено"),
    order=1000,  # last: after the other kinds, which may be due sooner
)

LOGIN_LOG = RetentionRule(
    key="login_log",
    label=gettext_lazy("Журнал входов (логин, IP-адрес, браузер)"),
    setting="RETENTION_LOGIN_LOG_YEARS",
    default_years=1,
    counted_from=gettext_lazy("после входа или попытки входа"),
    outcome=gettext_lazy("Записи удаляются."),
    count=_login_log_count,
    apply=_login_log_apply,
    order=10,
)


def register():
    register_rule(LOGIN_LOG)
    register_rule(LEAVERS)


def login_log_of(user):
    """The person's entries in the login log (by login or email), newest first."""
    from axes.models import AccessLog

    logins = [value for value in (user.username, user.email) if value]
    return AccessLog.objects.filter(username__in=logins).order_by("-attempt_time")
