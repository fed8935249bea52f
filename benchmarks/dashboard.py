"""Manager dashboard benchmark: how long the statistics pages take for a region's year of data.

The script creates a throwaway database (SQLite file or PostgreSQL database; it must not exist),
migrates it, and bulk-creates one year of the Kaluga region: the real municipalities and bodies
(``people.region.load_region``) plus settlements and institutions, ``--servants`` people, ``--courses``
courses with enrolments (some completed, some overdue), ``--campaigns`` test campaigns in the year with
``--sittings`` sittings spread over the (person, campaign) pairs, and ``--events`` seminars with
check-ins and broadcast-room reports. Then it times, ``--repeat`` times each (median and max reported):

* the three dashboard tables built directly (region per municipality; the largest municipality per
  organization; the largest organization per person), with their SQL query counts;
* the three pages through Django's test client as a regional manager (tables, charts, templates),
  and the dashboard as the municipal manager of the largest municipality.

It prints a JSON report (and writes it to ``--output``) and drops the database unless ``--keep``.

    .venv/bin/python benchmarks/dashboard.py --database-url sqlite:////tmp/dash_bench.sqlite3
    .venv/bin/python benchmarks/dashboard.py --database-url postgres://postgres@127.0.0.1:5432/dash_bench \\
        --sittings 100000

Figures and commands: ``docs/performance.md``.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", required=True, help="sqlite:////path or postgres://…/name (must not exist)"
    )
    parser.add_argument("--servants", type=int, default=3000)
    parser.add_argument("--sittings", type=int, default=6000, help="sittings in the year's campaigns")
    parser.add_argument("--campaigns", type=int, default=2)
    parser.add_argument("--courses", type=int, default=10)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--output", help="write the JSON report here too")
    return parser.parse_args(argv)


# --- the database -----------------------------------------------------------------------------------


def _postgres_admin(url):
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True), parts.path.lstrip("/")


def create_database(url):
    if url.startswith("sqlite"):
        path = Path(urlsplit(url).path)
        if path.exists():
            sys.exit(f"{path} exists: choose a new file")
        return
    connection, name = _postgres_admin(url)
    with connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url):
    from django.db import connections

    connections.close_all()
    if url.startswith("sqlite"):
        path = urlsplit(url).path
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
        return
    connection, name = _postgres_admin(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


# --- the data ---------------------------------------------------------------------------------------


def _at(day, hour=10):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def populate(args, year):
    """Bulk-create the region's year; returns the objects the timings need."""
    from django.contrib.auth.models import Group

    from courses.factories import make_course
    from courses.models import Enrollment
    from events.factories import make_event
    from events.models import Attendance, BroadcastRoom, EventPage
    from people.audience import Audience
    from people.models import Municipality, Organization, ServiceCategory, User
    from people.region import load_region
    from people.roles import GROUP_NAMES, Role
    from quizzes.contexts import campaign_context
    from quizzes.factories import make_quiz
    from quizzes.models import Quiz, Sitting, TestCampaign

    rng = random.Random(args.seed)
    load_region()
    districts = list(Municipality.objects.filter(kind=Municipality.Kind.DISTRICT))
    Municipality.objects.bulk_create(
        Municipality(
            name=f"Сельское поселение «Деревня {n}» ({district.short_name or district.name})",
            kind=Municipality.Kind.RURAL_SETTLEMENT,
            parent=district,
        )
        for district in districts
        for n in range(1, 4)
    )
    municipalities = list(Municipality.objects.all())
    Organization.objects.bulk_create(
        Organization(
            name=f"Муниципальное учреждение № {n} ({municipality})",
            kind=Organization.Kind.MUNICIPAL_INSTITUTION,
            municipality=municipality,
        )
        for municipality in municipalities
        for n in range(1, 3)
    )
    organizations = list(Organization.objects.all())
    by_municipality = {}
    for organization in organizations:
        by_municipality.setdefault(organization.municipality_id, []).append(organization)
    # a third of the people in Kaluga and Obninsk, the rest spread evenly
    weights = [12 if m.kind == Municipality.Kind.URBAN_OKRUG else 1 for m in municipalities]
    categories = [ServiceCategory.MUNICIPAL, ServiceCategory.MUNICIPAL_OFFICE, ServiceCategory.STATE_CIVIL]
    people = []
    for n in range(args.servants):
        municipality = rng.choices(municipalities, weights)[0]
        if rng.random() < 0.08:
            municipality = None
        organization = rng.choice([*by_municipality.get(municipality and municipality.pk, [None]), None])
        people.append(
            User(
                username=f"bench{n}",
                last_name=f"Служащий{n}",
                first_name="Иван",
                email=f"bench{n}@example.org",
                password="!",
                municipality=municipality,
                organization=organization,
                category=rng.choice(categories),
                hire_date=datetime.date(year, 1, 1) - datetime.timedelta(days=rng.randint(0, 4000)),
                position="Специалист",
            )
        )
    people = User.objects.bulk_create(people, batch_size=2000)
    servants = Group.objects.get(name=GROUP_NAMES[Role.SERVANT])
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=p.pk, group_id=servants.pk) for p in people], batch_size=5000
    )

    start = datetime.date(year, 1, 1)
    courses = [make_course(title=f"Курс {n}", slug=f"bench-course-{n}") for n in range(args.courses)]
    enrollments = []
    for person in people:
        for course in rng.sample(courses, k=min(len(courses), rng.randint(0, 4))):
            enrolled = start + datetime.timedelta(days=rng.randint(-200, 300))
            done = rng.random() < 0.55
            enrollments.append(
                Enrollment(
                    user=person,
                    course=course,
                    source=Enrollment.Source.ASSIGNED,
                    enrolled_at=_at(enrolled),
                    due_date=enrolled + datetime.timedelta(days=60),
                    completed_at=_at(enrolled + datetime.timedelta(days=rng.randint(1, 90)))
                    if done
                    else None,
                )
            )
    Enrollment.objects.bulk_create(enrollments, batch_size=5000)

    area = Audience.objects.create(title="Половина районов")
    area.municipalities.set(municipalities[::2])
    municipal = Audience.objects.create(
        title="Муниципальные служащие", categories=[ServiceCategory.MUNICIPAL]
    )
    campaigns = []
    for n in range(args.campaigns):
        quiz = make_quiz(
            title=f"Тест {n}",
            grading_method=Quiz.GradingMethod.BEST if n % 2 == 0 else Quiz.GradingMethod.LAST,
            attempts_allowed=0,
        )
        opens = _at(start + datetime.timedelta(days=60 + n * 120))
        campaigns.append(
            TestCampaign.objects.create(
                title=f"Тестирование {n}",
                quiz=quiz,
                audience=area if n % 2 == 0 else municipal,
                opens_at=opens,
                closes_at=opens + datetime.timedelta(days=14),
            )
        )
    pairs = [(person, campaign) for campaign in campaigns for person in people if rng.random() < 0.8]
    counts = [0] * len(pairs)
    for _n in range(args.sittings):
        counts[rng.randrange(len(pairs))] += 1
    sittings = []
    for (person, campaign), count in zip(pairs, counts, strict=True):
        for number in range(1, count + 1):
            started = campaign.opens_at + datetime.timedelta(minutes=rng.randint(0, 14 * 24 * 60))
            finished = rng.random() < 0.9
            percent = Decimal(rng.randint(20, 100)) if finished else None
            sittings.append(
                Sitting(
                    user=person,
                    quiz_id=campaign.quiz_id,
                    campaign=campaign,
                    context=campaign_context(campaign.pk),
                    number=number,
                    state=Sitting.State.FINISHED if finished else Sitting.State.NEEDS_GRADING,
                    started_at=started,
                    finished_at=started + datetime.timedelta(minutes=30),
                    pass_mark=70,
                    percent=percent,
                    passed=None if percent is None else percent >= 70,
                )
            )
        if len(sittings) >= 20000:
            Sitting.objects.bulk_create(sittings)
            sittings = []
    Sitting.objects.bulk_create(sittings)

    coordinator = User.objects.create(username="bench-coordinator", password="!")
    attendances, links = [], []
    for n in range(args.events):
        event = make_event(
            start=_at(start + datetime.timedelta(days=10 + n * 17)),
            format=EventPage.Format.HYBRID,
            slug=f"bench-seminar-{n}",
        )
        attendees = rng.sample(people, k=len(people) // 5)
        attendances += [Attendance(event=event, user=p, checked_in_at=event.start) for p in attendees]
        for municipality in rng.sample(municipalities, k=len(municipalities) // 3):
            room = BroadcastRoom.objects.create(
                event=event, municipality=municipality, coordinator=coordinator, head_count=rng.randint(0, 40)
            )
            named = [p for p in rng.sample(people, k=8) if p.municipality_id == municipality.pk]
            links += [BroadcastRoom.participants.through(broadcastroom=room, user=p) for p in named]
    Attendance.objects.bulk_create(attendances, batch_size=5000)
    BroadcastRoom.participants.through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    return {"people": people, "municipalities": municipalities}


# --- the timings ------------------------------------------------------------------------------------


def timed(function, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds, cpu, sql = [], [], []
    queries = None
    for _n in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            begin, begin_cpu = time.perf_counter(), time.process_time()
            result = function()
            seconds.append(time.perf_counter() - begin)
            cpu.append(time.process_time() - begin_cpu)
        queries = len(captured.captured_queries)
        sql.append(sum(float(query["time"]) for query in captured.captured_queries))
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
        # this process's CPU time: for SQLite it includes the queries, for PostgreSQL only Django's side
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
        "sql_median_ms": round(statistics.median(sql) * 1000, 1),
        "queries": queries,
    }, result


def measure(args, year):
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from people.factories import make_municipal_manager, make_regional_manager
    from people.models import Municipality, Organization
    from quizzes.models import Sitting
    from reports.period import Period
    from reports.tables import ReportRequest, table_spec

    period = Period.year(year)
    manager = make_regional_manager(username="bench-regional")
    biggest = (
        Municipality.objects.filter(parent__isnull=True).annotate(n=Count("people")).order_by("-n").first()
    )
    organization = Organization.objects.annotate(n=Count("people")).order_by("-n").first()
    municipality_of_org = organization.municipality.parent or organization.municipality
    report = {"sittings_total": Sitting.objects.count()}
    cases = {
        "table municipalities (region)": ("municipalities", {}),
        "table organizations (largest municipality)": ("organizations", {"municipality": str(biggest.pk)}),
        "table people (largest organization)": (
            "people",
            {"municipality": str(municipality_of_org.pk), "organization": str(organization.pk)},
        ),
    }
    for name, (key, params) in cases.items():
        figures, table = timed(
            lambda key=key, params=params: table_spec(key).build(ReportRequest(manager.pk, period, params)),
            args.repeat,
        )
        figures["rows"] = len(table.rows)
        report[name] = figures
    client = Client()
    client.force_login(manager)
    query = f"?year={year}"
    pages = {
        "page dashboard (regional manager)": reverse("reports:dashboard") + query,
        "page municipality (largest)": reverse("reports:municipality", args=[biggest.pk]) + query,
        "page organization (largest)": reverse(
            "reports:organization", args=[municipality_of_org.pk, organization.pk]
        )
        + query,
    }
    client.get(pages["page dashboard (regional manager)"])  # warm-up: templates, menus
    for name, url in pages.items():
        figures, response = timed(lambda url=url: client.get(url), args.repeat)
        assert response.status_code == 200, (url, response.status_code)
        figures["bytes"] = len(response.content)
        report[name] = figures
    client.force_login(make_municipal_manager(biggest, username="bench-municipal"))
    figures, response = timed(lambda: client.get(reverse("reports:dashboard") + query), args.repeat)
    assert response.status_code == 200
    report["page dashboard (municipal manager of the largest)"] = figures
    return report


def main(argv=None):
    args = parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(BASE_DIR))
    create_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        begin = time.perf_counter()
        call_command("migrate", verbosity=0)
        year = datetime.date.today().year
        populate(args, year)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        setup_seconds = round(time.perf_counter() - begin, 1)
        report = {
            "database": connection.vendor,
            "servants": args.servants,
            "campaigns": args.campaigns,
            "courses": args.courses,
            "events": args.events,
            "repeat": args.repeat,
            "setup_seconds": setup_seconds,
            "load_average": os.getloadavg(),
            **measure(args, year),
        }
        text = json.dumps(report, ensure_ascii=False, indent=2)
        print(text)
        if args.output:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
    finally:
        if not args.keep:
            drop_database(args.database_url)


if __name__ == "__main__":
    main()
