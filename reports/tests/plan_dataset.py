"""A generated region for the plan-report tests: state civil servants, municipal servants and workers
(with and without anti-corruption or procurement duties, hired in different years), courses, events,
campaigns and library materials linked to the items of the 2024 plan and of the 2025 plan (a copy of
it, so 2025's items continue 2024's), and noise that must not count, built from a seeded random
generator.

The tests compute their expected numbers from the raw rows of this dataset with plain Python loops,
never through the code under test.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.models import HomePage, MaterialIndexPage, MaterialKind, MaterialPage, Plan, PlanItem
from cms.plan_loading import BUNDLED_PLAN_2024, load_plan, read_plan_json
from cms.plan_years import copy_plan
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
NEXT_YEAR = 2025


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
    materials: dict = field(default_factory=dict)
    next_plan: Plan | None = None
    next_items: dict = field(default_factory=dict)  # number -> PlanItem of the 2025 plan
    newly_hired: dict = field(default_factory=dict)  # name -> a person with a hand-picked hire date
    with_duties: dict = field(default_factory=dict)  # name -> a person with hand-picked duties


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
                [
                    ServiceCategory.STATE_CIVIL,
                    ServiceCategory.STATE_CIVIL,
                    ServiceCategory.MUNICIPAL,
                    ServiceCategory.MUNICIPAL_OFFICE,
                    ServiceCategory.SUBORDINATE_EMPLOYEE,
                ]
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
    # Hand-picked hire dates around the term of 5.8 («в течение 2024 года»), state and municipal.
    hires = {
        "state-2024-03": (ServiceCategory.STATE_CIVIL, datetime.date(YEAR, 3, 1), north),
        "state-2024-12": (ServiceCategory.STATE_CIVIL, datetime.date(YEAR, 12, 31), south),
        "state-2023-12": (ServiceCategory.STATE_CIVIL, datetime.date(YEAR - 1, 12, 31), north),
        "state-2025-01": (ServiceCategory.STATE_CIVIL, datetime.date(YEAR + 1, 1, 1), city),
        "municipal-2024-05": (ServiceCategory.MUNICIPAL, datetime.date(YEAR, 5, 5), north),
    }
    newly_hired = {}
    for name, (category, hired, municipality) in hires.items():
        newly_hired[name] = make_person(
            organization=organizations[municipality][0], category=category, hire_date=hired
        )
        people.append(newly_hired[name])
    everyone = people + regional_people

    data = PlanDataset(plan, items, [north, south, city], village, people, regional_people)
    data.newly_hired = newly_hired
    data.next_plan = copy_plan(plan, NEXT_YEAR).plan
    data.next_items = {item.number: item for item in PlanItem.objects.filter(section__plan=data.next_plan)}

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
            if user in newly_hired.values():
                continue
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

    # The newly hired: the 5.8 course in time (by the due date), late, and not at all.
    for name, completed, due in [
        ("state-2024-03", aware(YEAR, 4, 1), datetime.date(YEAR, 6, 1)),  # in time
        ("state-2024-12", None, None),
        ("state-2023-12", aware(YEAR, 2, 1), None),  # hired before the term
        ("state-2025-01", aware(YEAR + 1, 2, 1), None),
        ("municipal-2024-05", aware(YEAR, 6, 1), None),  # not a state civil servant
    ]:
        Enrollment.objects.create(
            user=newly_hired[name],
            course=data.courses["5.8"],
            enrolled_at=aware(YEAR - 1 if name == "state-2023-12" else YEAR, 1, 15),
            completed_at=completed,
            due_date=due,
        )
    late = make_person(
        organization=organizations[south][0],
        category=ServiceCategory.STATE_CIVIL,
        hire_date=datetime.date(YEAR, 2, 1),
    )
    people.append(late)
    everyone.append(late)
    newly_hired["state-2024-02-late"] = late
    Enrollment.objects.create(
        user=late,
        course=data.courses["5.8"],
        enrolled_at=aware(YEAR, 2, 2),
        completed_at=aware(YEAR, 9, 1),
        due_date=datetime.date(YEAR, 5, 1),
    )

    # People with and without duties, state and municipal, each with a course completed in 2024 (or not).
    data.with_duties = {}
    for name, category, duties, course_key, municipality in [
        ("procurement-state", ServiceCategory.STATE_CIVIL, {"has_procurement_duties": True}, "5.9", city),
        ("procurement-municipal", ServiceCategory.MUNICIPAL, {"has_procurement_duties": True}, "5.9", south),
        ("procurement-none", ServiceCategory.STATE_CIVIL, {}, "5.9", north),
        (
            "anticorruption-municipal",
            ServiceCategory.MUNICIPAL,
            {"has_anticorruption_duties": True},
            "5.1+5.7",
            north,
        ),
        (
            "anticorruption-state-untrained",
            ServiceCategory.STATE_CIVIL,
            {"has_anticorruption_duties": True},
            None,
            city,
        ),
    ]:
        somebody = make_person(
            organization=organizations[municipality][-1], category=category, hire_date=None, **duties
        )
        people.append(somebody)
        everyone.append(somebody)
        data.with_duties[name] = somebody
        if course_key:
            Enrollment.objects.create(
                user=somebody,
                course=data.courses[course_key],
                enrolled_at=aware(YEAR, 2, 1),
                completed_at=aware(YEAR, 4, 4),
            )

    # Events: held seminars of 5.2 in the period (one also linked to 5.9), one next year (counts in 2025
    # through the continued item), one not live, a seminar for municipal servants (1.3), and one linked
    # to the 2025 plan only (a link forward: never counts in 2024).
    specs = [
        ("seminar-a", aware(YEAR, 3, 14), EventPage.Format.HYBRID, ["5.2"]),
        ("seminar-b", aware(YEAR, 10, 2), EventPage.Format.ONLINE, ["5.2", "5.9"]),
        ("seminar-next-year", aware(YEAR + 1, 2, 5), EventPage.Format.HYBRID, ["5.2"]),
        ("seminar-draft", aware(YEAR, 5, 20), EventPage.Format.IN_PERSON, ["5.2"]),
        ("seminar-municipal", aware(YEAR, 6, 10), EventPage.Format.HYBRID, ["1.3"]),
        ("seminar-linked-forward", aware(YEAR, 9, 9), EventPage.Format.IN_PERSON, ["next:5.2"]),
    ]
    for key, start, fmt, numbers in specs:
        event = make_event(start=start, title=f"Семинар {key}", format=fmt)
        event.plan_items.set([data.next_items[n[5:]] if n.startswith("next:") else items[n] for n in numbers])
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
    mixed_quiz = make_quiz([question], grading_method=Quiz.GradingMethod.BEST, pass_mark=60)
    next_quiz = make_quiz([question], grading_method=Quiz.GradingMethod.LAST, pass_mark=60)
    # tests-2024-mixed: state and municipal servants sat it, linked to 5.1 and 1.3 (each item counts
    # its own group); tests-2025: linked to the 2025 plan's 5.1 only.
    for key, opens, numbers, the_quiz in [
        ("tests-2024", aware(YEAR, 4, 1), ["5.7", "5.2"], quiz),
        ("tests-2024-last", aware(YEAR, 11, 1), ["5.9"], last_quiz),
        ("tests-2023", aware(2023, 4, 1), ["5.1"], old_quiz),
        ("tests-2024-mixed", aware(YEAR, 5, 1), ["5.1", "1.3"], mixed_quiz),
        ("tests-2025", aware(NEXT_YEAR, 3, 1), ["next:5.1"], next_quiz),
    ]:
        campaign = TestCampaign.objects.create(
            title=f"Тестирование {key}",
            quiz=the_quiz,
            opens_at=opens,
            closes_at=opens + datetime.timedelta(days=30),
            audience=audience,
        )
        campaign.plan_items.set(
            [data.next_items[n[5:]] if n.startswith("next:") else items[n] for n in numbers]
        )
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

    # Materials of the library: linked to 5.5 in and out of 2024, next year's (counts in 2025 through the
    # continued item), linked elsewhere or nowhere, a draft and a private one (neither is published).
    library = HomePage.objects.first().add_child(
        instance=MaterialIndexPage(title="Материалы", slug="materials")
    )
    for key, day, numbers, live in [
        ("letter-march", datetime.date(YEAR, 3, 1), ["5.5"], True),
        ("review-november", datetime.date(YEAR, 11, 20), ["5.5", "5.7"], True),
        ("letter-old", datetime.date(YEAR - 1, 12, 31), ["5.5"], True),
        ("letter-next-year", datetime.date(NEXT_YEAR, 1, 15), ["5.5"], True),
        ("letter-unlinked", datetime.date(YEAR, 5, 5), [], True),
        ("letter-other-item", datetime.date(YEAR, 6, 6), ["5.7"], True),
        ("letter-draft", datetime.date(YEAR, 7, 7), ["5.5"], False),
        ("letter-private", datetime.date(YEAR, 8, 8), ["5.5"], True),
    ]:
        material = MaterialPage(
            title=f"Материал {key}",
            slug=f"material-{key}",
            kind=MaterialKind.INFORMATION_LETTER,
            date=day,
            number=f"№ {len(data.materials) + 1}",
            live=live,
        )
        library.add_child(instance=material)
        material.plan_items.set([items[n] for n in numbers])
        material.save()
        if key == "letter-private":
            PageViewRestriction.objects.create(page=material, restriction_type=PageViewRestriction.LOGIN)
        data.materials[key] = material

    data.managers["north"] = make_municipal_manager(north)
    data.managers["south"] = make_municipal_manager(south)
    return data
