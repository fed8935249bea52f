"""Demo consultations for ``manage.py demo_data`` (registered after the materials library): questions
of the demo servant «servant» and of other municipal servants, answered by «region»; one answered,
one waiting, one overdue, one closed after a follow-up, and one published as a «Ответ на вопрос»
material of the library.

Idempotent: a question is found by its subject and nothing that exists is changed.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import ServiceCategory, User

from ..models import Consultation, ConsultationTopic
from . import faq, services

DEMO_QUESTIONS = [
    {
        "key": "gift",
        "asker": "servant",
        "topic": "Подарки",
        "subject": "Нужно ли уведомлять о подарке, полученном на праздничном мероприятии администрации",
        "text": (
            "На торжественном собрании к юбилею администрации мне вручили памятный подарок — набор посуды. "
            "Стоимость мне неизвестна. Нужно ли подавать уведомление о получении подарка и в какой срок?"
        ),
        "days_ago": 40,
        "answer": (
            "Подарок, полученный в связи с протокольным мероприятием, служебной командировкой или другим "
            "официальным мероприятием, требует уведомления независимо от стоимости. Уведомление подаётся не "
            "позднее трёх рабочих дней со дня получения подарка в уполномоченное структурное подразделение "
            "органа местного самоуправления.\n\n"
            "Если стоимость подарка превышает 3000 рублей или неизвестна, подарок сдаётся на хранение "
            "по акту приёма-передачи; стоимость определяет комиссия."
        ),
        "answered_days_ago": 35,
        "publish": {
            "title": "Нужно ли уведомлять о подарке, полученном на официальном мероприятии",
            "question": (
                "Муниципальному служащему на торжественном собрании вручили памятный подарок, стоимость "
                "которого неизвестна. Нужно ли подавать уведомление о получении подарка и в какой срок?"
            ),
        },
    },
    {
        "key": "income",
        "asker": 0,
        "topic": "Сведения о доходах, расходах, об имуществе и обязательствах имущественного характера",
        "subject": "Как указать в справке о доходах вклад, открытый в течение отчётного года и закрытый",
        "text": (
            "В отчётном году я открыла и закрыла вклад в банке. На 31 декабря счёта нет. Нужно ли отражать "
            "этот вклад в справке о доходах и в каком разделе?"
        ),
        "days_ago": 20,
        "answer": (
            "Закрытый на отчётную дату счёт в разделе 4 не указывается, но проценты по вкладу, полученные в "
            "отчётном году, отражаются в разделе 1 как доход от вкладов в банках."
        ),
        "answered_days_ago": 18,
        "follow_up": "Спасибо. А если проценты были меньше 100 рублей, их тоже нужно указать?",
        "second_answer": "Да, доход указывается независимо от суммы.",
        "close": True,
    },
    {
        "key": "conflict",
        "asker": 1,
        "topic": "Конфликт интересов",
        "subject": "Возникает ли конфликт интересов, если супруг работает в подведомственном учреждении",
        "text": (
            "Я назначена заместителем главы администрации, курирую отдел образования. Мой супруг работает "
            "директором муниципальной школы. Как поступить, чтобы не нарушить требования закона?"
        ),
        "days_ago": 3,
    },
    {
        "key": "outside_work",
        "asker": 2,
        "topic": "Иная оплачиваемая работа",
        "subject": "Уведомление о преподавательской работе по совместительству",
        "text": (
            "Планирую вести занятия в колледже по договору. Нужно ли разрешение представителя нанимателя "
            "или достаточно уведомления, и за какой срок его подать?"
        ),
        "days_ago": 30,  # past the term: overdue
    },
]


def _askers():
    """The demo servant and three other municipal servants (the same ones on every run)."""
    named = User.objects.filter(username="servant", is_active=True).first()
    others = list(
        User.objects.filter(is_active=True, category=ServiceCategory.MUNICIPAL, municipality__isnull=False)
        .exclude(username__in=["servant", "obninsk"])
        .order_by("pk")[:3]
    )
    return named, others


def build_demo_consultations(stdout, options):
    answerer = User.objects.filter(username="region", is_active=True).first()
    named, others = _askers()
    if answerer is None or named is None or len(others) < 3:
        stdout.write(_("Консультации: нет демонстрационных пользователей — пропускаю."))
        return
    topics = {topic.name: topic for topic in ConsultationTopic.objects.all()}
    now = timezone.now()
    created = published = 0
    for values in DEMO_QUESTIONS:
        if Consultation.objects.filter(subject=values["subject"]).exists():
            continue
        topic = topics.get(values["topic"]) or ConsultationTopic.objects.order_by("position").first()
        if topic is None:
            continue
        asker = named if values["asker"] == "servant" else others[values["asker"]]
        asked_at = now - datetime.timedelta(days=values["days_ago"])
        consultation = services.ask(
            asker, topic=topic, subject=values["subject"], text=values["text"], now=asked_at
        )
        created += 1
        if "answer" not in values:
            continue
        services.reply(
            answerer,
            consultation,
            values["answer"],
            now=now - datetime.timedelta(days=values["answered_days_ago"]),
        )
        if values.get("follow_up"):
            later = now - datetime.timedelta(days=values["answered_days_ago"] - 1)
            services.reply(asker, consultation, values["follow_up"], now=later)
            services.reply(
                answerer, consultation, values["second_answer"], now=later + datetime.timedelta(hours=5)
            )
        if values.get("close"):
            services.close(
                asker, consultation, now=now - datetime.timedelta(days=values["answered_days_ago"] - 2)
            )
        if values.get("publish") and faq.library() is not None:
            consultation.refresh_from_db()
            faq.publish(
                answerer,
                consultation,
                title=values["publish"]["title"],
                question=values["publish"]["question"],
                answer=values["answer"],
            )
            published += 1
    stdout.write(
        _("Консультации: вопросов добавлено %(created)d, опубликовано в библиотеке %(published)d.")
        % {"created": created, "published": published}
    )
