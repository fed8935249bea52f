"""Personal data of events (registered in ``EventsConfig.ready``, see :mod:`people.privacy`).

* Retention: ``RETENTION_LIVE_QUESTIONS_YEARS`` after a question was asked in an event's live Q&A, it
  is deleted with its votes (no figure counts questions). Registrations, check-ins and broadcast-room
  reports are the attendance figures of the plan: they stay, and go nameless with their person.
* Anonymizing a person deletes the questions they asked (their own words may name them).
* «Мои данные»: the person's registrations, check-ins and mentions in broadcast rooms per event, the
  questions they asked and when they voted (not the text of other people's questions).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.privacy import DataSheet, RetentionRule, register_eraser, register_provider, register_rule

from .models import Attendance, BroadcastRoom, Question, QuestionVote, Registration


def _old_questions(cutoff):
    return Question.objects.filter(created__lt=cutoff)


def _delete_questions(questions):
    return questions.delete()[1].get(Question._meta.label, 0)


def delete_questions_of(user_ids):
    _delete_questions(Question.objects.filter(author_id__in=user_ids))


LIVE_QUESTIONS = RetentionRule(
    key="live_questions",
    label=gettext_lazy("Вопросы, заданные во время мероприятий"),
    setting="RETENTION_LIVE_QUESTIONS_YEARS",
    default_years=1,
    counted_from=gettext_lazy("после того, как вопрос задан"),
    outcome=gettext_lazy("Вопросы удаляются вместе с голосами за них."),
    count=lambda cutoff: _old_questions(cutoff).count(),
    apply=lambda cutoff, now: _delete_questions(_old_questions(cutoff)),
)


def my_events(user):
    by_event = {}

    def row(event):
        return by_event.setdefault(event.pk, {"event": event})

    for registration in Registration.objects.filter(user=user).select_related("event"):
        entry = row(registration.event)
        entry["registration"] = registration.get_status_display()
        entry["registered"] = registration.created
    for attendance in Attendance.objects.filter(user=user).select_related("event"):
        entry = row(attendance.event)
        entry["checked_in"] = attendance.checked_in_at
        entry["method"] = attendance.get_method_display()
    for room in BroadcastRoom.objects.filter(participants=user).select_related("event", "municipality"):
        row(room.event)["room"] = ", ".join(part for part in (str(room.municipality), room.room) if part)
    events = DataSheet(
        _("Мероприятия"),
        [
            _("Мероприятие"),
            _("Начало"),
            _("Регистрация"),
            _("Зарегистрирован"),
            _("Отметка о присутствии"),
            _("Способ отметки"),
            _("Назван в отчёте зала трансляции"),
        ],
        in_training_record=True,
    )
    for entry in sorted(by_event.values(), key=lambda entry: (entry["event"].start, entry["event"].pk)):
        event = entry["event"]
        events.rows.append(
            [
                event.title,
                event.start,
                entry.get("registration", ""),
                entry.get("registered"),
                entry.get("checked_in"),
                entry.get("method", ""),
                entry.get("room", ""),
            ]
        )
    questions = DataSheet(
        _("Вопросы на мероприятиях"),
        [_("Мероприятие"), _("Задан"), _("Вопрос"), _("Состояние"), _("Голосов")],
        [
            [
                question.event.title,
                question.created,
                question.text,
                question.get_state_display(),
                question.votes,
            ]
            for question in Question.objects.filter(author=user)
            .select_related("event")
            .order_by("created", "pk")
        ],
    )
    votes = DataSheet(
        _("Голоса за вопросы"),
        [_("Мероприятие"), _("Время голоса")],
        [
            [vote.question.event.title, vote.created]
            for vote in QuestionVote.objects.filter(user=user)
            .select_related("question__event")
            .order_by("created", "pk")
        ],
    )
    return [events, questions, votes]


def register():
    register_rule(LIVE_QUESTIONS)
    register_eraser(delete_questions_of)
    register_provider(my_events, order=40)
