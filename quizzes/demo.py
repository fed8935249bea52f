"""Demo content for ``manage.py demo_data``: a question bank, a quiz and three test campaigns.

- «Основы противодействия коррупции»: 16 questions from ``quizzes/demo_data/bank.gift``;
- an open campaign for municipal servants and office holders (the demo servant is in it);
- a closed campaign of last spring on the same quiz (the yearly re-run) with simulated results of part
  of the region, so that the managers' results pages, item analysis and monitor have figures to show.
  The demo servant took it too: their spring review withholds the questions they can still meet in
  the open campaign, and the open campaign still has all its attempts for them.
- a local campaign on the same quiz (opened to municipalities) that Obninsk's municipal manager runs for
  the okrug's HR staff, with an audience of Obninsk (``people.ownership``).

Idempotent: a second run finds everything by title and changes nothing.
"""

import datetime
import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from people.audience import Audience
from people.models import ServiceCategory, User

from .factories import correct_answer
from .models import Category, Quiz, QuizDraw, TestCampaign
from .services import finish_sitting, save_answer, start_campaign_sitting
from .services.importing import import_questions

MUNICIPAL_MANAGER = "obninsk"  # the demo account of people/demo.py
BANK_FILE = Path(__file__).resolve().parent / "demo_data" / "bank.gift"
ROOT_CATEGORY = "Противодействие коррупции"
QUIZ_TITLE = "Знание законодательства о противодействии коррупции"
OPEN_CAMPAIGN = "Дистанционное тестирование муниципальных служащих"
CLOSED_CAMPAIGN = "Дистанционное тестирование муниципальных служащих (весенняя сессия)"
# Run by Obninsk's municipal manager for the okrug's own HR staff, on the quiz opened to municipalities.
LOCAL_CAMPAIGN = "Тестирование кадровых служб города Обнинска"
LOCAL_AUDIENCE = "Кадровые службы города Обнинска"
SIMULATED_PARTICIPANTS = 300


def build_demo_quizzes(stdout, options):
    quiz = _quiz(stdout)
    audience = _audience()
    now = timezone.now()
    _campaign(  # with its notices on: `manage.py send_campaign_notices` sends them (cron in production)
        OPEN_CAMPAIGN,
        quiz,
        audience,
        now - datetime.timedelta(days=1),
        now + datetime.timedelta(days=30),
        notify_opening=True,
        remind_days_before=3,
        notify_result=True,
    )
    closed, created = _campaign(
        CLOSED_CAMPAIGN, quiz, audience, now - datetime.timedelta(days=90), now - datetime.timedelta(days=60)
    )
    if created:
        count = _simulate_results(closed, seed=options.get("seed") or 1)
        stdout.write(f"Тестирование «{CLOSED_CAMPAIGN}»: смоделировано попыток — {count}.")
    stdout.write(f"Тестирование «{OPEN_CAMPAIGN}» открыто для муниципальных служащих.")
    _local_campaign(stdout, quiz, now)


def _local_campaign(stdout, quiz, now):
    """A municipality runs its own: Obninsk's manager tests the okrug's HR staff (people.ownership)."""
    manager = User.objects.filter(username=MUNICIPAL_MANAGER, managed_municipality__isnull=False).first()
    if manager is None:
        return
    if not quiz.municipal_use:
        quiz.municipal_use = True
        quiz.save(update_fields=["municipal_use"])
    audience, created = Audience.objects.get_or_create(
        title=LOCAL_AUDIENCE,
        defaults={"owner_municipality": manager.managed_municipality, "hr_only": True},
    )
    if created:
        audience.municipalities.add(manager.managed_municipality)
    _campaign(
        LOCAL_CAMPAIGN,
        quiz,
        audience,
        now - datetime.timedelta(days=2),
        now + datetime.timedelta(days=12),
        created_by=manager,
    )
    stdout.write(f"Тестирование «{LOCAL_CAMPAIGN}» проводит муниципальный менеджер.")


def _quiz(stdout):
    quiz = Quiz.objects.filter(title=QUIZ_TITLE).first()
    if quiz:
        return quiz
    report = import_questions(BANK_FILE.name, BANK_FILE.read_bytes())
    if not report.ok:
        raise RuntimeError("; ".join(str(error) for error in report.errors))
    stdout.write(f"Банк вопросов: добавлено {report.created_count}.")
    root = Category.objects.get(name=ROOT_CATEGORY, parent=None)
    quiz = Quiz.objects.create(
        title=QUIZ_TITLE,
        description="Проверка знаний Федерального закона № 273-ФЗ «О противодействии коррупции» "
        "и связанных с ним актов.",
        time_limit=30,
        pass_mark=70,
        attempts_allowed=2,
        review_policy=Quiz.ReviewPolicy.AFTER_CLOSE,
    )
    QuizDraw.objects.create(quiz=quiz, category=root, count=12, include_subcategories=True)
    return quiz


def _audience():
    audience, _created = Audience.objects.get_or_create(
        title="Муниципальные служащие и лица, замещающие муниципальные должности",
        defaults={"categories": [ServiceCategory.MUNICIPAL, ServiceCategory.MUNICIPAL_OFFICE]},
    )
    return audience


def _campaign(title, quiz, audience, opens_at, closes_at, **settings):
    campaign, created = TestCampaign.objects.get_or_create(
        title=title,
        defaults={
            "quiz": quiz,
            "audience": audience,
            "opens_at": opens_at,
            "closes_at": closes_at,
            **settings,
        },
    )
    if created:
        from cms.models import PlanItem

        campaign.plan_items.set(PlanItem.objects.filter(number__in=["5.1", "5.7"]))
    return campaign, created


def _simulate_results(campaign, seed):
    """Part of the audience took the closed campaign: most finished, some stopped halfway."""
    rng = random.Random(seed)
    people = list(campaign.expected_participants().exclude(username="servant").order_by("pk"))
    people = rng.sample(people, min(SIMULATED_PARTICIPANTS, len(people)))
    people += list(campaign.expected_participants().filter(username="servant"))
    started_at = campaign.opens_at + datetime.timedelta(days=1)
    for person in people:
        skill = rng.uniform(0.35, 0.98)
        now = started_at + datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 20))
        with transaction.atomic():
            sitting = start_campaign_sitting(person, campaign, now=now, rng=rng)
            for seq, question in enumerate(sitting.questions(), start=1):
                if rng.random() < skill:
                    save_answer(sitting, question["id"], correct_answer(question), seq, now=now)
            if person.username == "servant" or rng.random() < 0.9:
                finish_sitting(sitting, now=now + datetime.timedelta(minutes=rng.randint(5, 25)))
    return len(people)
