"""Operations of managers on one person's test, each with a reason and recorded in the history.

* :func:`grant_extra_time` — minutes on top of the quiz's time limit in one campaign (``ExtraTime``);
  a sitting in progress gets the longer deadline at once (never a shorter one);
* :func:`grant_extra_attempt` — one more attempt in one campaign (:class:`AttemptAllowance`), which
  :func:`~quizzes.services.sittings.start_sitting` and the person's campaign list respect;
* :func:`void_sitting` — the reset of an attempt lost to a power cut: the sitting becomes «аннулирована»,
  stays in the history with its answers, is never a result and uses up no attempt, so the person may
  start again;
* :func:`override_points` — the points of one answer changed (an appeal); the sitting's score, percent
  and pass are computed again by :meth:`Sitting.apply_result`.

Who may (the views check it, with the scope): municipal managers for the people of their scope, regional
managers for everybody (:func:`may_operate`); nobody on their own test. Each operation is one
transaction that locks what it changes, checks, writes and records one :class:`PersonOperation` (who,
when, whom, what, why, before and after). A refusal raises :class:`OperationRefused` with a Russian
message and writes nothing.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.roles import Role, roles_of

from ..contexts import campaign_context
from ..exceptions import InvalidAnswer, InvalidOperation, OperationRefused
from ..models import AttemptAllowance, ExtraTime, PersonOperation, Response, Sitting
from ..models.operations import MAX_EXTRA_ATTEMPTS, MAX_EXTRA_MINUTES, MAX_REASON_LENGTH
from ..scoring import SCORE_STEP, ZERO, parse_decimal, quantize_fraction, quantize_score
from .sittings import RESULT_FIELDS, _copy_result

OPERATING_ROLES = {Role.MUNICIPAL_MANAGER, Role.REGIONAL_MANAGER}
REGRADING_ROLES = {Role.REGIONAL_MANAGER}


def may_operate(user):
    """May ``user`` operate on people's tests at all (which people: their scope)?"""
    return bool(roles_of(user) & OPERATING_ROLES)


def may_regrade(user):
    """A regrade changes the results of a whole campaign: the authorized body only."""
    return bool(roles_of(user) & REGRADING_ROLES)


def clean_reason(reason):
    """The reason as it is recorded, or :class:`InvalidOperation`: every operation needs one."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidOperation(_("Укажите причину."))
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidOperation(
            _("Причина слишком длинная: не больше %(max)s символов.") % {"max": MAX_REASON_LENGTH}
        )
    if "\x00" in reason:
        raise InvalidOperation(_("Причина содержит недопустимый символ."))
    return reason


def actor_name(user):
    full_name = user.get_full_name()
    return f"{full_name} ({user.username})" if full_name else user.username


def _check_actor(actor, person):
    if actor.pk == person.pk:
        raise OperationRefused(_("Изменять свои собственные результаты нельзя."))


def _check_not_closed(campaign, now, message):
    if campaign.has_closed(now):
        raise OperationRefused(message)


def _record(
    actor, person, kind, reason, now, *, campaign=None, sitting=None, question_id=None, before, after
):
    return PersonOperation.objects.create(
        created_at=now,
        actor=actor,
        actor_name=actor_name(actor),
        person=person,
        campaign=campaign,
        sitting=sitting,
        question_id=question_id,
        kind=kind,
        reason=reason,
        before=before,
        after=after,
    )


def _text(value):
    return None if value is None else str(value)


def result_values(sitting):
    """A sitting's result as the history records it."""
    return {
        "state": sitting.state,
        "score": _text(sitting.score),
        "percent": _text(sitting.percent),
        "passed": sitting.passed,
    }


@dataclasses.dataclass
class Attempts:
    """A person's attempts in one campaign: the quiz's limit, those granted, used, voided and left."""

    allowed: int  # 0: unlimited
    extra: int
    used: int
    voided: int

    @property
    def left(self):
        if not self.allowed:
            return None
        return max(0, self.allowed + self.extra - self.used)


def attempts_of(person, campaign):
    quiz = campaign.quiz
    context = campaign_context(campaign.pk)
    states = list(Sitting.objects.in_context(person, quiz, context).values_list("state", flat=True))
    voided = states.count(Sitting.State.VOID)
    return Attempts(
        allowed=quiz.attempts_allowed,
        extra=AttemptAllowance.extra_for(person, quiz, context),
        used=len(states) - voided,
        voided=voided,
    )


# --- extra time and attempts ---------------------------------------------------------------------------


def grant_extra_time(actor, campaign, person, minutes, reason, *, now=None):
    """Set the person's extra minutes in ``campaign`` (0 takes them away). A sitting in progress that
    still takes answers gets the later deadline the new time gives (never an earlier one)."""
    now = now or timezone.now()
    reason = clean_reason(reason)
    _check_actor(actor, person)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= MAX_EXTRA_MINUTES:
        raise InvalidOperation(
            _("Дополнительное время — целое число минут от 0 до %(max)s.") % {"max": MAX_EXTRA_MINUTES}
        )
    _check_not_closed(campaign, now, _("Тестирование уже закрыто: дополнительное время не понадобится."))
    limit = campaign.quiz.time_limit
    if not limit:
        raise OperationRefused(_("У теста нет ограничения времени: дополнительное время не нужно."))
    with transaction.atomic():
        extra = ExtraTime.objects.select_for_update().filter(campaign=campaign, user=person).first()
        had = extra.minutes if extra else 0
        if minutes == had:
            if not minutes:
                raise OperationRefused(_("Дополнительное время не назначено: отменять нечего."))
            raise OperationRefused(_("Это дополнительное время уже назначено."))
        if extra is None:
            ExtraTime.objects.create(campaign=campaign, user=person, minutes=minutes)
        elif minutes:
            ExtraTime.objects.filter(pk=extra.pk).update(minutes=minutes)
        else:
            extra.delete()
        sitting = (
            Sitting.objects.select_for_update()
            .filter(campaign=campaign, user=person, state=Sitting.State.IN_PROGRESS)
            .only("pk", "started_at", "deadline", "state")
            .first()
        )
        before, after = {"minutes": had}, {"minutes": minutes}
        if sitting is not None and sitting.deadline is not None and sitting.accepts_answers_at(now):
            longer = min(sitting.started_at + datetime.timedelta(minutes=limit + minutes), campaign.closes_at)
            before["deadline"] = after["deadline"] = sitting.deadline.isoformat()
            if longer > sitting.deadline:
                Sitting.objects.filter(pk=sitting.pk).update(deadline=longer)
                after["deadline"] = longer.isoformat()
        else:
            sitting = None
        return _record(
            actor,
            person,
            PersonOperation.Kind.EXTRA_TIME,
            reason,
            now,
            campaign=campaign,
            sitting=sitting,
            before=before,
            after=after,
        )


def grant_extra_attempt(actor, campaign, person, reason, *, now=None):
    """One more attempt for the person in ``campaign`` (at most :data:`MAX_EXTRA_ATTEMPTS` in all)."""
    now = now or timezone.now()
    reason = clean_reason(reason)
    _check_actor(actor, person)
    _check_not_closed(campaign, now, _("Тестирование уже закрыто: дополнительная попытка не понадобится."))
    quiz = campaign.quiz
    if not quiz.attempts_allowed:
        raise OperationRefused(_("Число попыток в этом тесте не ограничено."))
    with transaction.atomic():
        allowance, _created = AttemptAllowance.objects.select_for_update().get_or_create(
            user=person, quiz=quiz, context=campaign_context(campaign.pk)
        )
        if allowance.extra_attempts >= MAX_EXTRA_ATTEMPTS:
            raise OperationRefused(
                _("Больше %(max)s дополнительных попыток дать нельзя.") % {"max": MAX_EXTRA_ATTEMPTS}
            )
        before = attempts_of(person, campaign)
        allowance.extra_attempts += 1
        allowance.save(update_fields=["extra_attempts"])
        after = attempts_of(person, campaign)
        return _record(
            actor,
            person,
            PersonOperation.Kind.EXTRA_ATTEMPT,
            reason,
            now,
            campaign=campaign,
            before={"extra_attempts": before.extra, "attempts_left": before.left},
            after={"extra_attempts": after.extra, "attempts_left": after.left},
        )


# --- one sitting -------------------------------------------------------------------------------------


def void_sitting(actor, sitting, reason, *, now=None):
    """Reset an attempt lost to a power cut: the sitting is «аннулирована» (kept, never deleted), counts
    neither as a result nor as an attempt used, and the person may start again while the campaign is
    open. Its answers stay for the history; one in progress takes no more answers."""
    now = now or timezone.now()
    reason = clean_reason(reason)
    _check_actor(actor, sitting.user)
    campaign = sitting.campaign
    if campaign is None:
        raise OperationRefused(_("Аннулировать можно только попытку дистанционного тестирования."))
    _check_not_closed(campaign, now, _("Тестирование уже закрыто: пройти его заново будет нельзя."))
    with transaction.atomic():
        locked = (
            Sitting.objects.select_for_update().only("state", "campaign", *RESULT_FIELDS).get(pk=sitting.pk)
        )
        if locked.is_void:
            raise OperationRefused(_("Попытка уже аннулирована."))
        before = {**result_values(locked), "attempts_left": attempts_of(sitting.user, campaign).left}
        locked.state = Sitting.State.VOID
        locked.save(update_fields=["state"])  # the live monitor hears of it (quizzes.signals)
        after = {**result_values(locked), "attempts_left": attempts_of(sitting.user, campaign).left}
        entry = _record(
            actor,
            sitting.user,
            PersonOperation.Kind.RESET,
            reason,
            now,
            campaign=campaign,
            sitting=sitting,
            before=before,
            after=after,
        )
    sitting.state = Sitting.State.VOID
    return entry


def number_text(value):
    """A Decimal as people write it: ``Decimal("10.00")`` → "10", ``Decimal("1.50")`` → "1,5"."""
    return floatformat(value, "-2")


def parse_points(value):
    """Points typed by a manager ("1,5", "2"): a Decimal with at most two decimals, else InvalidOperation."""
    try:
        points = parse_decimal(value)
    except InvalidAnswer:
        raise InvalidOperation(_("Баллы должны быть числом.")) from None
    if points != points.quantize(SCORE_STEP):
        raise InvalidOperation(_("Баллы указываются не больше чем с двумя знаками после запятой."))
    return points


def override_points(actor, sitting, question_id, points, reason, *, now=None):
    """Set the points of one answer of a finished sitting (an appeal), from 0 to the question's points.

    The share of the points is stored on the response (one is created for a question left unanswered),
    and the sitting's score, percent and pass are computed again by :meth:`Sitting.apply_result`. A later
    regrade leaves an overridden answer as it is (:mod:`quizzes.services.regrade`)."""
    now = now or timezone.now()
    reason = clean_reason(reason)
    _check_actor(actor, sitting.user)
    points = points if isinstance(points, Decimal) else parse_points(points)
    with transaction.atomic():
        locked = Sitting.objects.select_for_update().get(pk=sitting.pk)
        if locked.is_in_progress:
            raise OperationRefused(_("Попытка ещё идёт: баллы можно изменить после её завершения."))
        if locked.is_void:
            raise OperationRefused(_("Попытка аннулирована: её баллы не учитываются."))
        snapshot = locked.question_snapshot(question_id) if str(question_id).isdigit() else None
        if snapshot is None:
            raise InvalidOperation(_("Этого вопроса нет в попытке."))
        most = Decimal(snapshot["points"])
        if not most:
            raise OperationRefused(_("Вопрос стоит 0 баллов: изменять нечего."))
        if not ZERO <= points <= most:
            raise InvalidOperation(_("Баллы за этот ответ — от 0 до %(max)s.") % {"max": number_text(most)})
        fraction = quantize_fraction(points / most)
        response = Response.objects.filter(sitting_id=locked.pk, question_id=snapshot["id"]).first()
        had = ZERO if response is None else response.fraction
        if had is not None and had == fraction:
            raise OperationRefused(_("За этот ответ уже стоит столько баллов."))
        before = {"points": None if had is None else str(quantize_score(most * had)), **result_values(locked)}
        if response is None:
            Response.objects.create(
                sitting_id=locked.pk, question_id=snapshot["id"], answer=None, saved_at=now, fraction=fraction
            )
        else:
            Response.objects.filter(pk=response.pk).update(fraction=fraction)
        locked.apply_result(locked.fractions())
        locked.save(update_fields=RESULT_FIELDS)
        after = {"points": str(quantize_score(most * fraction)), **result_values(locked)}
        entry = _record(
            actor,
            locked.user,
            PersonOperation.Kind.OVERRIDE,
            reason,
            now,
            campaign=locked.campaign,
            sitting=locked,
            question_id=snapshot["id"],
            before=before,
            after=after,
        )
    _copy_result(locked, sitting)
    return entry


def overridden_question_ids(sitting):
    """Questions of ``sitting`` whose points a manager changed."""
    return set(
        PersonOperation.objects.filter(sitting=sitting, kind=PersonOperation.Kind.OVERRIDE).values_list(
            "question_id", flat=True
        )
    )
