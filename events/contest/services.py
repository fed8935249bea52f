"""Changes of the contest: registration and confirmation of contestants, works, the jury's scores, the
ranking and the winners. Refusals raise :class:`ContestError` with a Russian message."""

import datetime
import hashlib
import logging
import os
import secrets
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.links import public_url
from people.mail import enqueue, register_kind
from people.mail.kinds import URGENT

from ..models import Contest, Contestant, Score, ScoreSheet, Work
from . import audit

logger = logging.getLogger(__name__)

SIGN_IN_ATTEMPTS = 5
SIGN_IN_LOCKOUT = 15 * 60  # seconds
MAIL_CONFIRMATION = "contest_confirmation"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# An organizer resends a contestant's confirmation letter at most once in this time.
RESEND_INTERVAL = datetime.timedelta(minutes=15)


class ContestError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def register_mail_kinds():
    register_kind(
        MAIL_CONFIRMATION, gettext_lazy("Конкурс студентов: подтверждение адреса"), priority=URGENT, order=365
    )


# --- contestants ---------------------------------------------------------------------------------


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def register(
    contest,
    *,
    email,
    password,
    last_name,
    first_name,
    birth_date,
    patronymic="",
    institution="",
    publish_name=False,
    parent_consent=False,
    parent_name="",
    consent_file=None,
    now=None,
):
    """A new contestant of ``contest`` (unconfirmed) and the letter with the confirmation link."""
    now = now or timezone.now()
    email = email.strip().lower()
    if contest.submissions_close_at <= now:
        raise ContestError(_("Регистрация закрыта: приём работ завершён."))
    if birth_date > timezone.localdate(now):
        raise ContestError(_("Дата рождения не может быть в будущем."))
    contestant = Contestant(
        contest=contest,
        email=email,
        password=make_password(password),
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        patronymic=patronymic.strip(),
        institution=institution.strip(),
        birth_date=birth_date,
        publish_name=publish_name,
        parent_consent=parent_consent,
        parent_name=parent_name.strip(),
        created_at=now,
        confirmation_sent_at=now,
    )
    if contestant.is_minor(timezone.localdate(now)) and not (parent_consent and consent_file and parent_name):
        raise ContestError(
            _(
                "Участнику младше 18 лет нужно согласие родителя (законного представителя): отметьте его, "
                "укажите родителя и приложите подписанное согласие."
            )
        )
    token = secrets.token_urlsafe(32)
    contestant.token_hash = _hash(token)
    try:
        with transaction.atomic():
            if consent_file:
                contestant.consent_file.save(consent_file.name, consent_file, save=False)
            try:
                contestant.save()
                send_confirmation(contestant, token)
            except Exception:  # no row, no file: a minor's consent form is not left behind
                if contestant.consent_file:
                    contestant.consent_file.storage.delete(contestant.consent_file.name)
                raise
    except IntegrityError:
        raise ContestError(
            _("Этот адрес уже зарегистрирован в конкурсе. Войдите со своим паролем.")
        ) from None
    return contestant


def send_confirmation(contestant, token):
    link = public_url(reverse("contest:confirm", args=[token]))
    enqueue(
        to=contestant.email,
        subject=_("Подтвердите адрес для участия в конкурсе «%(title)s»")
        % {"title": contestant.contest.title},
        body=_(
            "Здравствуйте, %(name)s!\n\nВы зарегистрировались для участия в конкурсе «%(title)s». "
            "Чтобы подтвердить адрес электронной почты и получить возможность подать работу, откройте "
            "ссылку:\n%(link)s\n\nСсылка действует %(hours)s ч. Если вы не регистрировались, просто "
            "не отвечайте на это письмо."
        )
        % {
            "name": contestant.first_name,
            "title": contestant.contest.title,
            "link": link,
            "hours": settings.CONTEST_CONFIRMATION_HOURS,
        },
        kind=MAIL_CONFIRMATION,
    )


def confirm(token, now=None):
    """Confirm the contestant whose link this is; returns the contestant."""
    now = now or timezone.now()
    contestant = (
        Contestant.objects.select_related("contest")
        .filter(token_hash=_hash(str(token)), data_erased_at=None)
        .first()
    )
    if contestant is None or not token:
        raise ContestError(_("Ссылка для подтверждения неверна или уже использована."))
    sent = contestant.confirmation_sent_at or contestant.created_at
    if sent + datetime.timedelta(hours=settings.CONTEST_CONFIRMATION_HOURS) < now:
        raise ContestError(
            _("Срок действия ссылки истёк. Зарегистрируйтесь заново или напишите организаторам.")
        )
    Contestant.objects.filter(pk=contestant.pk).update(email_confirmed_at=now, token_hash="")
    contestant.refresh_from_db()
    return contestant


def _local(moment):
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def resend_confirmation(user, contestant, now=None):
    """An organizer sends an unconfirmed contestant a new confirmation link (the old one stops working);
    at most once in :data:`RESEND_INTERVAL` per contestant. Returns the contestant."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Contestant.objects.select_for_update()
            .select_related("contest")
            .filter(pk=contestant.pk, data_erased_at=None)
            .first()
        )
        if locked is None:
            raise ContestError(_("Участник не найден: возможно, запись уже удалена."))
        if locked.email_confirmed_at is not None:
            raise ContestError(_("Участник уже подтвердил адрес: письмо не нужно."))
        last = locked.confirmation_sent_at
        if last is not None and now < last + RESEND_INTERVAL:
            raise ContestError(
                _("Письмо этому участнику уже отправлено %(sent)s. Повторить можно не раньше %(next)s.")
                % {"sent": _local(last), "next": _local(last + RESEND_INTERVAL)}
            )
        token = secrets.token_urlsafe(32)
        locked.token_hash = _hash(token)
        locked.confirmation_sent_at = now
        locked.save(update_fields=["token_hash", "confirmation_sent_at"])
        send_confirmation(locked, token)
        audit.log(locked.contest, audit.RESENT, user, {"contestant": locked.pk})
    return locked


def _set_aside(storage, names, moved):
    """Move the files out of the way (renamed, not yet deleted), adding ``(path, aside)`` pairs to
    ``moved``, so that the caller can put them back if anything fails before the commit."""
    try:
        for name in names:
            path = storage.path(name)
            if not os.path.exists(path):
                continue
            aside = f"{path}.deleting"
            os.replace(path, aside)
            moved.append((path, aside))
    except OSError:
        logger.exception("Could not remove the files of a contestant")
        raise ContestError(
            _("Не удалось удалить файлы участника, поэтому запись не удалена. Попробуйте ещё раз позже.")
        ) from None


def _put_back(moved):
    for path, aside in reversed(moved):
        try:
            os.replace(aside, path)
        except OSError:
            logger.exception("Could not put back %s", path)


def delete_unconfirmed(user, contestant):
    """An organizer deletes a contestant who never confirmed the address, with their files: the row and
    the files go together or neither does."""
    storage = Contestant._meta.get_field("consent_file").storage
    moved = []
    try:
        with transaction.atomic():
            locked = (
                Contestant.objects.select_for_update()
                .select_related("contest")
                .filter(pk=contestant.pk, data_erased_at=None)
                .first()
            )
            if locked is None:
                raise ContestError(_("Участник не найден: возможно, запись уже удалена."))
            if locked.email_confirmed_at is not None:
                raise ContestError(
                    _("Участник подтвердил адрес: удалить можно только неподтверждённую запись.")
                )
            names = [locked.consent_file.name] if locked.consent_file else []
            names += [work.file.name for work in locked.works.all() if work.file]
            contest, pk, created = locked.contest, locked.pk, locked.created_at
            locked.works.all().delete()
            locked.delete()
            audit.log(contest, audit.DELETED, user, {"contestant": pk, "registered": created.isoformat()})
            _set_aside(storage, names, moved)  # last: a failure up to the commit puts them back
    except BaseException:
        _put_back(moved)
        raise
    for _path, aside in moved:
        try:
            os.remove(aside)
        except OSError:
            logger.exception("Could not delete %s", aside)


def authenticate(contest, email, password):
    """The contestant of ``contest`` with this address and password, or None. After
    :data:`SIGN_IN_ATTEMPTS` failures for an address within :data:`SIGN_IN_LOCKOUT` seconds the address
    is locked for that long: raises :class:`ContestError` (the count is one atomic cache increment)."""
    email = (email or "").strip().lower()
    key = f"contest-sign-in:{contest.pk}:{hashlib.sha256(email.encode()).hexdigest()}"
    if cache.get(key, 0) >= SIGN_IN_ATTEMPTS:
        raise ContestError(_("Слишком много неудачных попыток. Попробуйте через 15 минут."))
    contestant = Contestant.objects.filter(contest=contest, email=email, data_erased_at=None).first()
    if contestant is None:
        make_password(password)  # the same time whether the address is known or not
    elif check_password(password, contestant.password):
        cache.delete(key)
        return contestant
    cache.add(key, 0, SIGN_IN_LOCKOUT)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, SIGN_IN_LOCKOUT)
    return None


# --- works ---------------------------------------------------------------------------------------


def age_group_for(contestant):
    """The contest's age group of the contestant: by age on the last day of submissions."""
    contest = contestant.contest
    age = contestant.age_on(timezone.localdate(contest.submissions_close_at))
    if age is None:
        return None
    return contest.age_groups.filter(min_age__lte=age, max_age__gte=age).first()


def _new_code(contest):
    while True:
        code = f"{contest.year}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))
        if not Work.objects.filter(code=code).exists():
            return code


def submit_work(contestant, *, nomination, title, upload, file_type, now=None):
    """Submit a work in ``nomination`` or replace the contestant's work there; returns it."""
    now = now or timezone.now()
    contest = contestant.contest
    if contestant.email_confirmed_at is None:
        raise ContestError(_("Сначала подтвердите адрес электронной почты по ссылке из письма."))
    if not contest.submissions_open(now):
        raise ContestError(
            _("Приём работ закрыт: работы принимаются с %(start)s до %(end)s.")
            % {
                "start": timezone.localtime(contest.submissions_open_at).strftime("%d.%m.%Y %H:%M"),
                "end": timezone.localtime(contest.submissions_close_at).strftime("%d.%m.%Y %H:%M"),
            }
        )
    if nomination.contest_id != contest.pk:
        raise ContestError(_("Выберите номинацию этого конкурса."))
    if contestant.is_minor(timezone.localdate(now)) and not (
        contestant.parent_consent and contestant.consent_file
    ):
        raise ContestError(
            _("Нет согласия родителя (законного представителя): работа не может быть принята.")
        )
    age_group = age_group_for(contestant)
    if age_group is None:
        raise ContestError(_("Ваш возраст не подходит ни к одной возрастной группе конкурса."))
    try:
        return _store_work(contest, contestant, nomination, age_group, title, upload, file_type, now)
    except IntegrityError:  # the same work sent twice at once (a double click): the other one was kept
        raise ContestError(_("Работа в этой номинации уже принята. Обновите страницу.")) from None


def _existing_work(contestant, nomination):
    return Work.objects.select_for_update().filter(contestant=contestant, nomination=nomination).first()


def _store_work(contest, contestant, nomination, age_group, title, upload, file_type, now):
    """Write the work's file and row together: if the row is not saved, the new file is removed."""
    with transaction.atomic():
        # The contestant's row serializes their submissions: a first work has no row of its own to lock.
        Contestant.objects.select_for_update().filter(pk=contestant.pk).exists()
        work = _existing_work(contestant, nomination)
        old = work.file.name if work and work.file else None
        if work is None:
            work = Work(
                contest=contest,
                contestant=contestant,
                nomination=nomination,
                code=_new_code(contest),
                submitted_at=now,
            )
        work.age_group = age_group
        work.title = title.strip()
        work.file_name = upload.name[:200]
        work.file_type = file_type
        work.updated_at = now
        work.file.save(upload.name, upload, save=False)
        try:
            work.save()
        except Exception:
            work.file.storage.delete(work.file.name)
            raise
        if old:
            storage = work.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    return work


# --- the jury ------------------------------------------------------------------------------------


def score(juror, work, points, *, comment="", now=None):
    """Store ``juror``'s sheet for ``work``: ``points`` maps each criterion's id to points."""
    now = now or timezone.now()
    contest = work.contest
    if not contest.jurors.filter(pk=juror.pk).exists():
        raise ContestError(_("Вы не входите в жюри этого конкурса."))
    if not contest.judging_open(now):
        raise ContestError(_("Оценивать работы можно только в период работы жюри."))
    if not work.file:  # the jury list hides such a work; its URL must not score it either
        raise ContestError(_("У этой работы нет файла: оценивать нечего."))
    criteria = list(contest.criteria.all())
    for criterion in criteria:
        value = points.get(criterion.pk)
        if value is None:
            raise ContestError(_("Поставьте баллы по критерию «%(title)s».") % {"title": criterion.title})
        if not 0 <= value <= criterion.max_points:
            raise ContestError(
                _("По критерию «%(title)s» можно поставить от 0 до %(max)s баллов.")
                % {"title": criterion.title, "max": criterion.max_points}
            )
    with transaction.atomic():
        sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(work=work, juror=juror)
        sheet.comment = comment.strip()
        sheet.updated_at = now
        sheet.save()
        for criterion in criteria:
            Score.objects.update_or_create(
                sheet=sheet, criterion=criterion, defaults={"points": points[criterion.pk]}
            )
    return sheet


def sheet_of(juror, work):
    return ScoreSheet.objects.filter(work=work, juror=juror).prefetch_related("scores").first()


def set_jurors(user, contest, jurors):
    """The contest's jury list becomes ``jurors`` (users with ``Role.JURY``)."""
    from people.roles import Role, roles_of

    if contest.published:
        raise ContestError(_("Итоги уже опубликованы: состав жюри менять нельзя."))
    jurors = list(jurors)
    for person in jurors:
        if Role.JURY not in roles_of(person):
            raise ContestError(
                _("%(name)s не член жюри: сначала дайте роль «Член жюри».")
                % {"name": person.get_full_name() or person.username}
            )
    with transaction.atomic():
        before = set(contest.jurors.values_list("pk", flat=True))
        after = {person.pk for person in jurors}
        if before == after:
            return False
        contest.jurors.set(jurors)
        audit.log(
            contest, audit.JURY, user, {"added": sorted(after - before), "removed": sorted(before - after)}
        )
    return True


# --- ranking and winners -------------------------------------------------------------------------


def ranking(contest):
    """Per nomination × age group: the works by the average of their jurors' totals, best first.

    Only the sheets of the contest's current jurors count. Each row: ``work``, ``sheets`` (how many
    jurors scored), ``average`` (None without sheets),
    ``rank`` (1, 2, …; equal averages share a rank) and ``tie`` (another work has the same average)."""
    totals = defaultdict(list)
    sheets = ScoreSheet.objects.filter(work__contest=contest, juror__in=contest.jurors.all())
    for sheet in sheets.prefetch_related("scores"):
        totals[sheet.work_id].append(sheet.total)
    groups = {}
    works = Work.objects.filter(contest=contest).select_related("nomination", "age_group", "contestant")
    for work in works:
        values = totals.get(work.pk, [])
        average = round(sum(values) / len(values), 2) if values else None
        key = (work.nomination.position, work.nomination_id, work.age_group.min_age, work.age_group_id)
        group = groups.setdefault(
            key, {"nomination": work.nomination, "age_group": work.age_group, "rows": []}
        )
        group["rows"].append({"work": work, "sheets": len(values), "average": average})
    result = []
    for key in sorted(groups):
        group = groups[key]
        rows = sorted(
            group["rows"], key=lambda row: (row["average"] is None, -(row["average"] or 0), row["work"].code)
        )
        counts = defaultdict(int)
        for row in rows:
            counts[row["average"]] += 1
        rank = 0
        previous = object()
        for index, row in enumerate(rows, start=1):
            if row["average"] != previous:
                rank = index
                previous = row["average"]
            row["rank"] = rank if row["average"] is not None else None
            row["tie"] = row["average"] is not None and counts[row["average"]] > 1
        group["rows"] = rows
        result.append(group)
    return result


def _locked_contest(contest):
    """The contest's row, locked: a place and the publication cannot cross each other."""
    return Contest.objects.select_for_update().get(pk=contest.pk)


def set_place(user, work, place):
    with transaction.atomic():
        if _locked_contest(work.contest).published:
            raise ContestError(_("Итоги уже опубликованы: места менять нельзя."))
        Work.objects.filter(pk=work.pk).update(place=place)
        audit.log(work.contest, audit.PLACE, user, {"work": work.code, "place": place})


def publish(user, contest, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_contest(contest)
        if locked.published:
            raise ContestError(_("Итоги уже опубликованы."))
        if not locked.judging_over(now):
            raise ContestError(_("Итоги можно опубликовать после окончания работы жюри."))
        if not locked.works.filter(place__isnull=False).exists():
            raise ContestError(_("Сначала отметьте победителей: места в номинациях."))
        locked.winners_published_at = now
        locked.save(update_fields=["winners_published_at"])
        contest.winners_published_at = now
        audit.log(contest, audit.PUBLISHED, user)


def winners(contest):
    """The published winners: ``(work, shown name)`` by nomination, age group and place."""
    if not contest.published:
        return []
    works = (
        contest.works.filter(place__isnull=False)
        .select_related("nomination", "age_group", "contestant")
        .order_by("nomination__position", "nomination_id", "age_group__min_age", "place", "code")
    )
    return [(work, public_name(work.contestant)) for work in works]


def public_name(contestant):
    """The name a winner is shown under: only with consent (a parent's for a minor), never after erasure."""
    if contestant.data_erased_at or not contestant.publish_name:
        return ""
    if contestant.is_minor() and not contestant.parent_consent:
        return ""
    return f"{contestant.first_name} {contestant.last_name}".strip()
