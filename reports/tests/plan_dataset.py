"""A generated region for the plan-report tests: people, courses, events and campaigns linked to the
2024 plan's items (and noise that must not count), built from a seeded random generator.

The tests compute their expected numbers from the raw rows of this dataset with plain Python loops,
never through the code under test.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from cms.models import Plan, PlanItem
from cms.plan_loading import BUNDLED_PLAN_2024, load_plan, read_plan_json
from courses.factories import make_course
from courses.models import Enrollment
from events.factories import make_event
from events.models import Attendance, BroadcastRoom, EventPage
from people.audience import Audience
from people.factories import make_municipal_manager, make_municipality, make_organization, make_person
from people.models import Municipality, ServiceCategory
from quizzes.contexts import campaign_context
from quizzes.factories import make_quiz, make_true_false
from quizzes.models import Quiz, Sitting, TestCampaign

YEAR = 2024


def aware(year, month, day, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@dataclass
class PlanDataset:
    plan: Plan
    items: dict  # number -> PlanItem
    districts: list
    settlement: Municipality
    people: list
    regional_people: list
    courses: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)
    campaigns: dict = field(default_factory=dict)
    managers: dict = field(default_factory=dict)


def load_2024_plan():
    load_plan(read_plan_json(BUNDLED_PLAN_2024))
    plan = Plan.objects.get(year=YEAR)
    items = {item.number: item for item in PlanItem.objects.filter(section__plan=plan)}
    return plan, items


def _random_date(rng, years):
    year = rng.choice(years)
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))


def build_dataset(seed=2024, people_per_municipality=14):
    rng = random.Random(seed)
    plan, items = load_2024_plan()
    north = make_municipality(name="Северный район", short_name="Северный район")
    south = make_municipality(name="Южный район", short_name="Южный район")
    city = make_municipality(name="Город Приречный", kind=Municipality.Kind.URBAN_OKRUG)
    village = make_municipality(
        name="Сельское поселение Берёзовка", kind=Municipality.Kind.RURAL_SETTLEMENT, parent=north
    )
    regional_org = make_organization(None, name="Министерство экономического развития области")
    organizations = {
        north: [make_organization(north), make_organization(north)],
        village: [make_organization(village)],
        south: [make_organization(south)],
        city: [make_organization(city), make_organization(city)],
    }

    def person(municipality, organization):
        hire = rng.choice(
            [None, _random_date(rng, [2022, 2023]), _random_date(rng, [YEAR]), _random_date(rng, [2025])]
        )
        return make_person(
            organization=organization,
            municipality=municipality,
            category=rng.choice(
                [ServiceCategory.STATE_CIVIL, ServiceCategory.MUNICIPAL, ServiceCategory.MUNICIPAL_OFFICE]
            ),
            hire_date=hire,
            has_procurement_duties=rng.random() < 0.3,
            has_anticorruption_duties=rng.random() < 0.3,
            is_active=rng.random() > 0.08,
        )

    people = []
    for municipality, orgs in organizations.items():
        for _n in range(people_per_municipality):
            people.append(person(municipality, rng.choice([*orgs, None])))
    regional_people = [person(None, regional_org) for _n in range(8)]
    everyone = people + regional_people

    data = PlanDataset(plan, items, [north, south, city], village, people, regional_people)

    # Courses: linked to training items, one linked to nothing (noise).
    data.courses["5.1+5.7"] = make_course(title="Основы противодействия коррупции")
    data.courses["5.1+5.7"].plan_items.set([items["5.1"], items["5.7"]])
    data.courses["5.8"] = make_course(title="Курс для впервые поступивших", hours=Decimal("16"))
    data.courses["5.8"].plan_items.set([items["5.8"]])
    data.courses["5.9"] = make_course(title="Антикоррупционные требования в закупках")
    data.courses["5.9"].plan_items.set([items["5.9"]])
    data.courses["none"] = make_course(title="Курс вне плана")
    for course in data.courses.values():
        course.save()  # writes the parental many-to-many links
    for course in data.courses.values():
        for user in rng.sample(everyone, k=len(everyone) // 2):
            enrolled = aware(rng.choice([2023, YEAR]), rng.randint(1, 12), rng.randint(1, 28))
            completed = None
            if rng.random() < 0.65:
                completed = enrolled + datetime.timedelta(days=rng.randint(1, 400))
            due = rng.choice([None, (enrolled + datetime.timedelta(days=rng.randint(10, 200))).date()])
            Enrollment.objects.create(
                user=user,
                course=course,
                enrolled_at=enrolled,
                completed_at=completed,
                due_date=due,
                is_active=rng.random() > 0.1,
            )

    # Events: held seminars of 5.2 in the period (one also linked to 5.9), one next year, one not live.
    specs = [
        ("seminar-a", aware(YEAR, 3, 14), EventPage.Format.HYBRID, ["5.2"]),
        ("seminar-b", aware(YEAR, 10, 2), EventPage.Format.ONLINE, ["5.2", "5.9"]),
        ("seminar-next-year", aware(YEAR + 1, 2, 5), EventPage.Format.HYBRID, ["5.2"]),
        ("seminar-draft", aware(YEAR, 5, 20), EventPage.Format.IN_PERSON, ["5.2"]),
    ]
    for key, start, fmt, numbers in specs:
        event = make_event(start=start, title=f"Семинар {key}", format=fmt)
        event.plan_items.set([items[n] for n in numbers])
        event.save()
        if key == "seminar-draft":
            event.unpublish()
        data.events[key] = event
        attendees = rng.sample(everyone, k=len(everyone) // 3)
        for user in attendees:
            Attendance.objects.create(event=event, user=user)
        if fmt != EventPage.Format.IN_PERSON:
            for municipality in (north, south, city):
                locals_ = [
                    p
                    for p in people
                    if p.municipality_id in (municipality.pk,)
                    or (p.municipality.parent_id == municipality.pk)
                ]
                named = rng.sample(locals_, k=rng.randint(0, 5))
                room = BroadcastRoom.objects.create(
                    event=event, municipality=municipality, head_count=rng.randint(0, 12)
                )
                room.participants.set(named)

    # Campaigns: one in the period linked to 5.7, one in 2023 linked to 5.1 (outside the period).
    question = make_true_false()
    quiz = make_quiz([question], grading_method=Quiz.GradingMethod.BEST, pass_mark=60)
    last_quiz = make_quiz([question], grading_method=Quiz.GradingMethod.LAST, pass_mark=60)
    old_quiz = make_quiz([question], grading_method=Quiz.GradingMethod.BEST, pass_mark=60)
    audience = Audience.objects.create(title="Все", categories=list(ServiceCategory.values))
    for key, opens, numbers, the_quiz in [
        ("tests-2024", aware(YEAR, 4, 1), ["5.7", "5.2"], quiz),
        ("tests-2024-last", aware(YEAR, 11, 1), ["5.9"], last_quiz),
        ("tests-2023", aware(2023, 4, 1), ["5.1"], old_quiz),
    ]:
        campaign = TestCampaign.objects.create(
            title=f"Тестирование {key}",
            quiz=the_quiz,
            opens_at=opens,
            closes_at=opens + datetime.timedelta(days=30),
            audience=audience,
        )
        campaign.plan_items.set([items[n] for n in numbers])
        data.campaigns[key] = campaign
        for user in rng.sample(everyone, k=len(everyone) // 3):
            attempts = rng.randint(1, 3)
            for number in range(1, attempts + 1):
                state = rng.choice([Sitting.State.FINISHED] * 4 + [Sitting.State.NEEDS_GRADING])
                if number < attempts:
                    state = Sitting.State.FINISHED
                percent = Decimal(rng.choice([0, 40, 60, 80, 100]))
                finished = state == Sitting.State.FINISHED
                started = opens + datetime.timedelta(days=rng.randint(0, 20), minutes=number)
                Sitting.objects.create(
                    user=user,
                    quiz=the_quiz,
                    campaign=campaign,
                    context=campaign_context(campaign.pk),
                    number=number,
                    state=state,
                    started_at=started,
                    finished_at=started + datetime.timedelta(minutes=10),
                    pass_mark=the_quiz.pass_mark,
                    percent=percent if finished else None,
                    score=percent / 100 if finished else None,
                    max_score=Decimal(1),
                    passed=(percent >= the_quiz.pass_mark) if finished else None,
                )

    data.managers["north"] = make_municipal_manager(north)
    data.managers["south"] = make_municipal_manager(south)
    return data
