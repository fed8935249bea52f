"""Which questions a person can still answer where it counts, so that no review gives their key away.

A review (correct answers, explanations, legal norms) is shown only for questions the person can no
longer answer in an *assessed* context: an open campaign of their audience in which they can still
start or resume a sitting, the final quiz of a course they are taking, the follow-up quiz of an
event they attended. The same quiz (or a question of its bank) often serves several of these, and
the campaigns of two years share one quiz: without this rule the spring review would be the key of
the autumn exam. A lesson's «Проверь себя» block is practice, not assessment: it never withholds a
review by itself, but its review withholds the questions that are live elsewhere.

The quizzes engine knows campaigns; courses and events register what they add
(:func:`register`, from their ``AppConfig.ready``).
"""

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .contexts import CAMPAIGN, COURSE, EVENT
from .models import Quiz, Sitting, TestCampaign

_providers = []

ASSESSED_KINDS = (CAMPAIGN, COURSE, EVENT)


def register(provider):
    """``provider(user, now)`` returns the ids of the quizzes ``user`` can still start or resume in
    an assessed context of its app."""
    if provider not in _providers:
        _providers.append(provider)


def campaign_quiz_ids(user, now):
    """Quizzes of the open campaigns in which the person can start or resume a sitting now."""
    from .cabinet import my_campaigns  # the cabinet imports the models, not this module

    return {entry.campaign.quiz_id for entry in my_campaigns(user, now) if entry.can_start}


def answerable_quiz_ids(user, now=None):
    now = now or timezone.now()
    ids = set(campaign_quiz_ids(user, now))
    for provider in _providers:
        ids.update(provider(user, now))
    return ids


def answerable_question_ids(user, now=None):
    """Ids of every question ``user`` can still meet in an assessed context: any question a new sitting
    of those quizzes could draw, and the questions of their assessed sittings still in progress."""
    now = now or timezone.now()
    ids = set()
    for quiz in Quiz.objects.filter(pk__in=answerable_quiz_ids(user, now)):
        ids |= quiz.possible_question_ids()
    assessed = Q()
    for kind in ASSESSED_KINDS:
        assessed |= Q(context__startswith=f"{kind}:")
    for order in (
        Sitting.objects.in_progress().filter(assessed, user=user).values_list("question_order", flat=True)
    ):
        ids.update(order)
    return ids


def campaigns_sharing_questions(quiz, now=None):
    """Campaigns not closed yet whose quiz can give a question that ``quiz`` can give too."""
    now = now or timezone.now()
    campaigns = list(
        TestCampaign.objects.filter(closes_at__gt=now).select_related("quiz").order_by("closes_at")
    )
    if not campaigns:
        return []
    mine = quiz.possible_question_ids()
    theirs = {}
    found = []
    for campaign in campaigns:
        if campaign.quiz_id not in theirs:
            theirs[campaign.quiz_id] = campaign.quiz.possible_question_ids()
        if campaign.quiz_id == quiz.pk or mine & theirs[campaign.quiz_id]:
            found.append(campaign)
    return found


def sharing_warnings(quiz, place, now=None):
    """Russian warnings for a trainer who put ``quiz`` in ``place`` (e.g. «в блоке «Проверь себя»»)
    while it shares questions with a running or coming campaign."""
    return [
        _(
            "Тест «%(quiz)s» %(place)s содержит вопросы тестирования «%(campaign)s» (до %(closes)s). "
            "Пока тестирование не закрыто, верные ответы и пояснения к этим вопросам не показываются "
            "его участникам; для практики лучше выбрать отдельный тест."
        )
        % {
            "quiz": quiz,
            "place": place,
            "campaign": campaign,
            "closes": formats.date_format(timezone.localtime(campaign.closes_at), "DATE_FORMAT"),
        }
        for campaign in campaigns_sharing_questions(quiz, now)
    ]
