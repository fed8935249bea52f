"""Campaign load benchmark: N civil servants take one remote test through the real HTTP API.

Modelled on the largest published Moodle quiz load test (Udelar, Moodle 4.5: 3,000 users, a
16-question quiz, 30-90 s thinking time, a 180 s ramp-up, then everyone released into "start attempt"
at the same moment). The script:

1. creates a throwaway PostgreSQL database, migrates it with the production settings, and bulk-creates
   the servants, one logged-in session each (no password hashing), a 16-question quiz of mixed types
   and a test campaign whose audience covers them;
2. starts the server (uvicorn with ``--workers N``, N daphne processes on consecutive ports, or the
   HTTP API through WSGI: gunicorn with N ``gthread`` workers of ``--threads`` threads) and waits for
   ``/healthz/``;
3. runs the virtual users as asyncio tasks (one or more load-generator processes): during the ramp-up
   each opens "my campaigns"; at the synchronized moment all start a sitting, then answer every
   question, change some answers and finish; a share of them ("timer users") keeps changing answers
   until the server refuses because the time is up;
4. ``--mode throughput`` drops thinking time and ramp-up, then drives ``/healthz/`` with the same
   concurrency for the ratio "answer saves per second / trivial requests per second"; the realistic
   mode ends with a burst: every person requests ``/healthz/`` once at one moment (``healthz_burst``
   in the report), the floor under the synchronized start on the same server;
5. verifies in the database that every confirmed save is stored (answers lost must be 0) and that
   every sitting ended, stops the server and drops the database (unless ``--keep``).

Run ``.venv/bin/python benchmarks/campaign_load.py --help``; figures and commands are in
``docs/performance.md``. The pure helpers (percentiles, rates, the lost-answer check, answer building)
are importable without Django for ``tests/test_benchmark_smoke.py``.
"""

import argparse
import asyncio
import collections
import dataclasses
import datetime
import json
import math
import multiprocessing
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run as a script too: the project and its benchmarks package

from benchmarks.cpu_trace import CLOCK_TICKS, CpuTrace, processes  # noqa: E402

API = "/api/v1/tests"
HEALTHZ = ("healthz", "/healthz/")  # the floor's kind and path
MY_CAMPAIGNS = ("campaigns", f"{API}/campaigns")  # the signed-in floor (--signed-in-burst)
RETRY_FIRST, RETRY_MAX = 1.0, 30.0  # seconds, as in quizzes/static/quizzes/take.js
SHORT_ANSWERS = ("конфликт интересов", "коррупция", "уведомление", "подарок", "самоотвод")
QUESTION_KINDS = ("single", "multiple", "truefalse", "short", "numeric", "matching")


# --- pure helpers (no Django, no network): covered by tests/test_benchmark_smoke.py -----------------


def percentile(values, p):
    """Nearest-rank percentile of ``values`` (0 < p <= 100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize(seconds):
    """Count and p50/p95/p99/max of latencies given in seconds, reported in milliseconds."""
    summary = {"count": len(seconds)}
    for name, p in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100)):
        value = percentile(seconds, p)
        summary[name] = None if value is None else round(value * 1000, 1)
    return summary


def steady_rate(end_times, trim=0.05):
    """Completions per second between the ``trim`` and ``1 - trim`` quantiles of completion times,
    so the ramp up and the tail of a run do not dilute the rate; None when there are too few."""
    if len(end_times) < 20:
        return None
    ordered = sorted(end_times)
    low = ordered[int(len(ordered) * trim)]
    high = ordered[int(len(ordered) * (1 - trim)) - 1]
    if high <= low:
        return None
    inside = sum(1 for t in ordered if low <= t <= high)
    return inside / (high - low)


def canonical(answer):
    """An answer as comparable text (JSON key order and spacing do not matter)."""
    return json.dumps(answer, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def find_lost(confirmed, stored):
    """The (sitting, question) keys whose last confirmed save is not what the database holds.

    ``confirmed`` maps a key to the ``(seq, answer)`` of the highest-seq save the server answered 200
    to; ``stored`` maps a key to the ``(seq, answer)`` of the stored response. A stored seq higher than
    the confirmed one is a newer save whose confirmation never arrived (a timeout): not a loss.
    """
    lost = []
    for key, (seq, answer) in confirmed.items():
        row = stored.get(key)
        if row is None:
            lost.append(key)
            continue
        stored_seq, stored_answer = row
        if stored_seq < seq or (stored_seq == seq and canonical(stored_answer) != canonical(answer)):
            lost.append(key)
    return sorted(lost)


def build_answer(question, rng):
    """A random well-formed answer for a public question payload (formats in quizzes/models/questions.py)."""
    kind = question["type"]
    if kind == "single":
        return {"choice": rng.choice(question["options"])["id"]}
    if kind == "multiple":
        ids = [option["id"] for option in question["options"]]
        return {"choices": sorted(rng.sample(ids, rng.randint(1, len(ids))))}
    if kind == "truefalse":
        return {"value": rng.random() < 0.5}
    if kind == "short":
        return {"text": rng.choice(SHORT_ANSWERS)}
    if kind == "numeric":
        return {"value": str(rng.randint(1, 60))}
    if kind == "matching":
        rights = [item["id"] for item in question["right"]]
        return {"pairs": {str(item["id"]): rng.choice(rights) for item in question["left"]}}
    return {"text": f"Ответ {rng.randint(1, 999)}: служащий обязан уведомить представителя нанимателя."}


def merge_records(records):
    """One :class:`Recorder` from those of several load-generator processes."""
    merged = Recorder()
    for record in records:
        for kind, values in record.latencies.items():
            merged.latencies[kind].extend(values)
        for kind, values in record.ends.items():
            merged.ends[kind].extend(values)
        merged.statuses.update(record.statuses)
        merged.errors.update(record.errors)
        for key, value in record.confirmed.items():
            if key not in merged.confirmed or merged.confirmed[key][0] < value[0]:
                merged.confirmed[key] = value
        merged.sittings.update(record.sittings)
        merged.outcomes.update(record.outcomes)
    return merged


@dataclasses.dataclass
class Recorder:
    """What one load-generator process saw; picklable, merged with :func:`merge_records`."""

    latencies: dict = dataclasses.field(default_factory=lambda: collections.defaultdict(list))
    ends: dict = dataclasses.field(default_factory=lambda: collections.defaultdict(list))
    statuses: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    errors: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    confirmed: dict = dataclasses.field(default_factory=dict)
    sittings: dict = dataclasses.field(default_factory=dict)  # user index -> sitting id
    outcomes: collections.Counter = dataclasses.field(default_factory=collections.Counter)

    def confirm(self, sitting_id, question_id, seq, answer):
        key = (sitting_id, question_id)
        if key not in self.confirmed or self.confirmed[key][0] < seq:
            self.confirmed[key] = (seq, answer)


# --- virtual users ---------------------------------------------------------------------------------


@dataclasses.dataclass
class VirtualUser:
    index: int
    session_key: str
    port: int
    arrival: float  # seconds after the run's start, within the ramp-up
    timer: bool  # keeps answering until the server says the time is up


@dataclasses.dataclass
class Plan:
    campaign_id: int
    csrf: str
    t0: float  # wall-clock start of the run
    start_at: float  # wall-clock moment everyone starts a sitting
    stop_at: float  # wall-clock hard stop (--duration-limit)
    think_min: float
    think_max: float
    changes: int
    seed: int
    request_timeout: float
    intro: bool = True  # open the campaign's intro page during the ramp-up (it prepares the paper)
    answers: int | None = None  # answer only the first N questions (then finish): a shorter run


class LoadClient:
    def __init__(self, plan, http):
        self.plan = plan
        self.http = http
        self.rec = Recorder()

    async def call(self, kind, method, path, user, payload=None, expected=(200,)):
        """One request; returns (status, data) or (None, None) on a transport error."""
        import aiohttp

        headers = {
            "Cookie": f"sessionid={user.session_key}; csrftoken={self.plan.csrf}",
            "X-CSRFToken": self.plan.csrf,
        }
        url = f"http://127.0.0.1:{user.port}{path}"
        started = time.perf_counter()
        try:
            async with self.http.request(method, url, headers=headers, json=payload) as response:
                body = await response.read()
                status = response.status
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            self.rec.errors[(kind, type(error).__name__)] += 1
            return None, None
        elapsed = time.perf_counter() - started
        self.rec.statuses[(kind, status)] += 1
        if status not in expected:
            self.rec.errors[(kind, status)] += 1
        if status == 200:
            self.rec.latencies[kind].append(elapsed)
            self.rec.ends[kind].append(time.time())
        try:
            data = json.loads(body) if body else None
        except ValueError:
            data = None
        return status, data

    async def call_retrying(self, kind, method, path, user, payload=None, expected=(200,)):
        """Like the test page (take.js): a transport error or a 5xx is retried with backoff (1 s doubling
        to 30 s, plus up to 0.5 s of jitter) until the run's hard stop; each failure still counts."""
        delay = RETRY_FIRST
        while True:
            status, data = await self.call(kind, method, path, user, payload, expected)
            if (status is not None and status < 500) or time.time() + delay > self.plan.stop_at:
                return status, data
            self.rec.outcomes[f"{kind}_retried"] += 1
            await asyncio.sleep(delay + random.random() / 2)
            delay = min(delay * 2, RETRY_MAX)

    async def think(self, rng):
        if self.plan.think_max > 0:
            await asyncio.sleep(rng.uniform(self.plan.think_min, self.plan.think_max))

    async def run_user(self, user):
        plan = self.plan
        rng = random.Random(plan.seed * 1_000_003 + user.index)
        await sleep_until(plan.t0 + user.arrival)
        await self.call_retrying("campaigns", "GET", f"{API}/campaigns", user)
        if plan.intro:  # the intro page, as the browser opens it before the start: the paper is made
            await self.call_retrying("intro", "GET", f"/tests/campaigns/{plan.campaign_id}/", user)
        await sleep_until(plan.start_at)
        status, sitting = await self.call_retrying(
            "start", "POST", f"{API}/campaigns/{plan.campaign_id}/sittings", user
        )
        if status != 200:
            self.rec.outcomes["not_started"] += 1
            return
        sitting_id = sitting["id"]
        self.rec.sittings[user.index] = sitting_id
        questions = sitting["questions"]
        order = list(questions)[: plan.answers]
        order += rng.sample(order, min(plan.changes, len(order)))  # answers changed later
        seqs = collections.Counter()
        expired = False

        async def save(question, expected=(200,)):
            seqs[question["id"]] += 1
            seq = seqs[question["id"]]
            answer = build_answer(question, rng)
            path = f"{API}/sittings/{sitting_id}/answers/{question['id']}"
            status, _ = await self.call_retrying(
                "save", "PUT", path, user, {"answer": answer, "seq": seq}, expected
            )
            if status == 200:
                self.rec.confirm(sitting_id, question["id"], seq, answer)
            return status

        for question in order:
            await self.think(rng)
            status = await save(question, expected=(200, 409, 410) if user.timer else (200,))
            if status in (409, 410):  # the page closes too; for a timer user it is the expected end
                expired = True
                break
        while user.timer and not expired and time.time() < plan.stop_at:
            await self.think(rng)
            status = await save(rng.choice(questions), expected=(200, 409, 410))
            expired = status in (409, 410)
        if user.timer:
            status, _ = await self.call_retrying("result", "GET", f"{API}/sittings/{sitting_id}/result", user)
            self.rec.outcomes["by_timer" if expired else "timer_not_reached"] += 1
        else:
            status, _ = await self.call_retrying(
                "finish", "POST", f"{API}/sittings/{sitting_id}/finish", user
            )
            outcome = "finished" if status == 200 else "finish_failed"
            self.rec.outcomes[outcome + ("_after_time_up" if expired else "")] += 1

    async def run_healthz(self, user, count, floor=HEALTHZ):
        """``count`` GETs of the floor's path from the burst's moment on (``/healthz/``, or with
        ``--signed-in-burst`` «my campaigns»: a request that reads the session and the person too)."""
        kind, path = floor
        await sleep_until(self.plan.start_at)
        for _ in range(count):
            await self.call(kind, "GET", path, user)


async def sleep_until(wall_time):
    delay = wall_time - time.time()
    if delay > 0:
        await asyncio.sleep(delay)


def _http_session(plan, users):
    import aiohttp

    connector = aiohttp.TCPConnector(limit=max(100, len(users)), limit_per_host=0, ttl_dns_cache=None)
    return aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),  # cookies go as headers: production marks them Secure
        timeout=aiohttp.ClientTimeout(total=plan.request_timeout),
    )


async def _drive(plan, users, healthz_per_user, floor):
    async with _http_session(plan, users) as http:
        client = LoadClient(plan, http)
        if healthz_per_user:
            tasks = [
                asyncio.ensure_future(client.run_healthz(user, healthz_per_user, floor)) for user in users
            ]
        else:
            tasks = [asyncio.ensure_future(client.run_user(user)) for user in users]
        done, pending = await asyncio.wait(tasks, timeout=max(1.0, plan.stop_at - time.time()))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        client.rec.outcomes["cut_by_duration_limit"] += len(pending)
        for task in done:
            if task.exception() is not None:
                client.rec.errors[("client", repr(task.exception())[:80])] += 1
        return client.rec


def drive_process(plan, users, healthz_per_user=0, floor=HEALTHZ):
    """Entry point of one load-generator process."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop is pinned in requirements.txt
        pass
    return asyncio.run(_drive(plan, users, healthz_per_user, floor))


def drive(plan, users, clients, healthz_per_user=0, floor=HEALTHZ):
    """Split ``users`` over ``clients`` processes and merge what they recorded."""
    if clients <= 1:
        return drive_process(plan, users, healthz_per_user, floor)
    slices = [users[i::clients] for i in range(clients)]
    context = multiprocessing.get_context("fork")
    with context.Pool(clients) as pool:
        records = pool.starmap(drive_process, [(plan, part, healthz_per_user, floor) for part in slices])
    return merge_records(records)


# --- the run: database, data, server, verification -------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--questions", type=int, default=16)
    parser.add_argument("--changes", type=int, default=4, help="answers each person changes afterwards")
    parser.add_argument("--think-min", type=float, default=30.0, help="seconds")
    parser.add_argument("--think-max", type=float, default=90.0, help="seconds")
    parser.add_argument("--ramp", type=float, default=180.0, help="seconds before the synchronized start")
    parser.add_argument("--timer-share", type=float, default=0.1, help="share of people stopped by the timer")
    parser.add_argument(
        "--time-limit", type=int, help="quiz time limit in minutes (default: from think time)"
    )
    parser.add_argument("--mode", choices=("realistic", "throughput"), default="realistic")
    parser.add_argument(
        "--no-intro",
        dest="intro",
        action="store_false",
        help="skip the campaign's intro page in the ramp-up (nothing prepared: every start draws)",
    )
    parser.add_argument(
        "--answers", type=int, help="answer only the first N questions, then finish (default: all)"
    )
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument(
        "--server",
        choices=("uvicorn", "daphne", "gunicorn"),
        default="uvicorn",
        help="gunicorn: the HTTP API through WSGI (config.wsgi), gthread workers with --threads each",
    )
    parser.add_argument(
        "--threads", type=int, default=8, help="gunicorn: request threads per worker (bounded concurrency)"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--clients", type=int, default=1, help="load-generator processes")
    parser.add_argument(
        "--database-url",
        default=f"postgres://postgres@127.0.0.1:5432/antikor_bench_{os.getpid()}",
        help="the database named here is created and dropped; it must not exist",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--settings", default="config.settings.production")
    parser.add_argument(
        "--db-pool", type=int, default=0, help="psycopg pool size per server process (0: off)"
    )
    parser.add_argument(
        "--healthz-requests", type=int, help="trivial requests in throughput mode (default 10/user)"
    )
    parser.add_argument("--duration-limit", type=float, default=1800.0, help="seconds for the load phase")
    parser.add_argument("--request-timeout", type=float, default=120.0, help="seconds")
    parser.add_argument(
        "--limit-concurrency", type=int, help="uvicorn --limit-concurrency per worker (503 above it, retried)"
    )
    parser.add_argument(
        "--access-log",
        type=Path,
        help="gunicorn: log each request's time inside the worker (µs) here, and report it per kind",
    )
    parser.add_argument(
        "--cpu-trace",
        action="store_true",
        help="sample /proc: the CPU of the server, PostgreSQL, Redis and this load generator in each burst",
    )
    parser.add_argument(
        "--signed-in-burst",
        action="store_true",
        help="after the /healthz/ burst, everyone opens «my campaigns» at one moment (a signed-in floor)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--output", type=Path, help="write the report as JSON here too")
    args = parser.parse_args(argv)
    if args.mode == "throughput":
        args.think_min = args.think_max = 0.0
        args.ramp = 0.0
        args.timer_share = 0.0
    if args.db_pool and args.settings == "config.settings.production":
        args.settings = "benchmarks.settings"
    if args.time_limit is None:
        worst = (args.questions + args.changes) * args.think_max + 60
        args.time_limit = max(1, math.ceil(worst / 60)) if args.mode == "realistic" else 120
    return args


def create_load_servants(count, prefix, last_name):
    """``count`` municipal servants of one load municipality (logins ``<prefix>00001`` …), in bulk,
    with unusable passwords; returned in login order."""
    from django.contrib.auth.hashers import make_password

    from people.models import Municipality, Organization, ServiceCategory, User

    municipality = Municipality.objects.create(name="Нагрузочный район", kind=Municipality.Kind.DISTRICT)
    organization = Organization.objects.create(
        name="Администрация нагрузочного района",
        kind=Organization.Kind.LOCAL_ADMINISTRATION,
        municipality=municipality,
    )
    password = make_password(None)
    User.objects.bulk_create(
        (
            User(
                username=f"{prefix}{i:05d}",
                first_name="Иван",
                last_name=f"{last_name}{i}",
                email=f"{prefix}{i:05d}@example.org",
                category=ServiceCategory.MUNICIPAL,
                municipality=municipality,
                organization=organization,
                password=password,
            )
            for i in range(count)
        ),
        batch_size=1000,
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("username"))


def session_for(user, now, backend="people.backends.UsernameOrEmailBackend"):
    """An unsaved logged-in session row for ``user`` (no password hashing, no login request)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    data = {
        "_auth_user_id": str(user.pk),
        "_auth_user_backend": backend,
        "_auth_user_hash": user.get_session_auth_hash(),
    }
    return Session(
        session_key=secrets.token_hex(16),
        session_data=SessionStore().encode(data),
        expire_date=now + datetime.timedelta(hours=12),
    )


class Run:
    def __init__(self, args):
        self.args = args
        self.server = []
        self.server_log = None
        self.created_database = False
        parts = urlsplit(args.database_url)
        self.database_name = parts.path.lstrip("/")
        self.admin_url = urlunsplit(parts._replace(path="/postgres"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": args.settings,
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(BASE_DIR),
            # production's manifest storage: the pages (the campaign's intro) need the collected files
            "STATIC_ROOT": "/tmp/antikor_bench_static",
        }
        self.env.pop("BENCH_DB_POOL", None)

    # database

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql)

    def create_database(self):
        self._admin(f'CREATE DATABASE "{self.database_name}"')  # fails if it exists: never reuse one
        self.created_database = True

    def drop_database(self):
        if self.created_database and not self.args.keep:
            self._admin(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')

    def setup_django(self):
        os.environ.update(self.env)  # the orchestrator itself never uses the pool
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

    def populate(self):
        """Servants with a session each, a mixed 16-question quiz, and a campaign open to all of them."""
        from django.contrib.sessions.models import Session
        from django.db import connections
        from django.middleware.csrf import _get_new_csrf_string
        from django.utils import timezone

        from people.models import Audience
        from quizzes import factories
        from quizzes.models import Quiz, TestCampaign

        args = self.args
        now = timezone.now()
        users = create_load_servants(args.users, "bench", "Нагрузкин")
        sessions = [session_for(user, now) for user in users]
        Session.objects.bulk_create(sessions, batch_size=1000)

        category = factories.make_category(name="Противодействие коррупции (нагрузка)")
        builders = {
            "single": factories.make_single_choice,
            "multiple": factories.make_multiple_choice,
            "truefalse": factories.make_true_false,
            "short": factories.make_short_text,
            "numeric": factories.make_numeric,
            "matching": factories.make_matching,
            "essay": factories.make_essay,
        }
        kinds = [QUESTION_KINDS[i % len(QUESTION_KINDS)] for i in range(args.questions)]
        if args.questions >= 8:
            kinds[-1] = "essay"  # one essay: such sittings end as "needs grading"
        questions = [
            builders[kind](category=category, text=f"Вопрос {n} по антикоррупционному законодательству")
            for n, kind in enumerate(kinds, start=1)
        ]
        quiz = factories.make_quiz(
            questions,
            title="Нагрузочный тест",
            time_limit=args.time_limit,
            shuffle_questions=True,
            shuffle_options=True,
            attempts_allowed=1,
            review_policy=Quiz.ReviewPolicy.AFTER_CLOSE,
        )
        audience = Audience.objects.create(title="Все служащие нагрузочного района")
        audience.municipalities.add(users[0].municipality_id)
        campaign = TestCampaign.objects.create(
            title="Нагрузочное дистанционное тестирование",
            quiz=quiz,
            opens_at=now - datetime.timedelta(minutes=5),
            closes_at=now + datetime.timedelta(hours=6),
            audience=audience,
        )
        connections.close_all()
        return {
            "campaign_id": campaign.pk,
            "csrf": _get_new_csrf_string(),
            "sessions": [session.session_key for session in sessions],
        }

    # server

    def start_server(self):
        args = self.args
        env = {**self.env}
        if args.db_pool:
            env["BENCH_DB_POOL"] = str(args.db_pool)
        self.server_log = open(Path("/tmp") / f"campaign_load_server_{os.getpid()}.log", "w+")  # noqa: SIM115 (read back, then left for inspection)
        python = sys.executable
        if args.server == "uvicorn":
            commands = [
                [
                    python, "-m", "uvicorn", "config.asgi:application",
                    "--host", "127.0.0.1", "--port", str(args.port), "--workers", str(args.workers),
                    "--no-access-log", "--loop", "uvloop", "--http", "httptools",
                    "--backlog", "4096", "--timeout-keep-alive", "75", "--log-level", "warning",
                ]
            ]  # fmt: skip
            if args.limit_concurrency:
                commands[0] += ["--limit-concurrency", str(args.limit_concurrency)]
        elif args.server == "gunicorn":
            # A bounded pool: at most --threads requests run per worker; the other connections wait
            # in the worker's poller (not in threads), so a burst queues instead of thrashing.
            commands = [
                [
                    python, "-m", "gunicorn", "config.wsgi:application",
                    "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
                    "--worker-class", "gthread", "--threads", str(args.threads),
                    "--worker-connections", str(max(1000, args.users + 100)),
                    "--backlog", "4096", "--keep-alive", "75", "--timeout", "300",
                    "--log-level", "warning",
                ]
            ]  # fmt: skip
            if args.access_log:
                # The request's time from its parsed headers to the last byte written (gunicorn's %(D)s),
                # against the client's latency: what waited inside the worker, what waited before it.
                commands[0] += ["--access-logfile", str(args.access_log), "--access-logformat", ACCESS_FORMAT]
        else:
            commands = [
                [
                    python,
                    "-m",
                    "daphne",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(args.port + i),
                    "config.asgi:application",
                ]
                for i in range(args.workers)
            ]
        for command in commands:
            self.server.append(
                subprocess.Popen(
                    command,
                    cwd=BASE_DIR,
                    env=env,
                    stdout=self.server_log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    def ports(self):
        if self.args.server in ("uvicorn", "gunicorn"):
            return [self.args.port]
        return [self.args.port + i for i in range(self.args.workers)]

    def wait_healthy(self, timeout=90):
        deadline = time.time() + timeout
        for port in self.ports():
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.time() > deadline or any(p.poll() is not None for p in self.server):
                    raise RuntimeError(f"the server did not come up; see {self.server_log.name}")
                time.sleep(0.3)
        if self.args.server in ("uvicorn", "gunicorn"):
            time.sleep(2)  # every worker up, not just the first

    def stop_server(self):
        for process in self.server:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.server:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def server_cpu(self):
        """CPU seconds used so far by the server processes (all of their process groups): a cost per
        request that, unlike latency, does not depend on what else the machine is running."""
        groups = {process.pid for process in self.server}
        return sum(ticks for _pid, _ppid, pgrp, _name, ticks in processes() if pgrp in groups) / CLOCK_TICKS

    def server_errors(self):
        if self.server_log is None:
            return 0
        self.server_log.flush()
        self.server_log.seek(0)
        return sum(1 for line in self.server_log if line.startswith("Traceback"))

    # verification

    def verify(self, data, rec):
        from django.db import connections

        from quizzes.models import Response, Sitting

        campaign_id = data["campaign_id"]
        stored = {
            (sitting_id, question_id): (seq, answer)
            for sitting_id, question_id, seq, answer in Response.objects.filter(
                sitting__campaign_id=campaign_id
            ).values_list("sitting_id", "question_id", "seq", "answer")
        }
        lost = find_lost(rec.confirmed, stored)
        sittings = Sitting.objects.filter(campaign_id=campaign_id)
        states = collections.Counter(sittings.values_list("state", flat=True))
        by_deadline = sum(
            1
            for finished_at, deadline in sittings.values_list("finished_at", "deadline")
            if finished_at == deadline
        )
        connections.close_all()
        return {
            "confirmed_saves_checked": len(rec.confirmed),
            "answers_lost": len(lost),
            "lost_examples": [list(key) for key in lost[:5]],
            "sittings": sum(states.values()),
            "sitting_states": dict(states),
            "finished_at_deadline": by_deadline,
        }

    def count_queries(self, data):
        """Queries per API call for one extra person, through Django's test client (same database)."""
        from django.db import connection, connections
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from people.models import User

        municipality_id = User.objects.first().municipality_id
        first = User.objects.create(username="bench_queries_first", municipality_id=municipality_id)
        user = User.objects.create(username="bench_queries", municipality_id=municipality_id)
        client = Client(HTTP_HOST="127.0.0.1")
        counts = {}

        def measure(name, method, path, **kwargs):
            with CaptureQueriesContext(connection) as captured:
                response = getattr(client, method)(path, **kwargs)
                # transaction control (BEGIN/COMMIT) is not a query of its own
                counts[name] = sum(not q["sql"].startswith(("BEGIN", "COMMIT")) for q in captured)
            return response.json()

        client.force_login(first)  # the first start in this process: the snapshot cache is empty
        measure("start_cold", "post", f"{API}/campaigns/{data['campaign_id']}/sittings")
        client.force_login(user)
        measure("campaigns", "get", f"{API}/campaigns")
        sitting = measure("start", "post", f"{API}/campaigns/{data['campaign_id']}/sittings")
        question = next(q for q in sitting["questions"] if q["type"] == "single")
        path = f"{API}/sittings/{sitting['id']}/answers/{question['id']}"
        body = {"answer": {"choice": question["options"][0]["id"]}, "seq": 1}
        measure("save_first", "put", path, data=body, content_type="application/json")
        body["seq"] = 2
        measure("save_change", "put", path, data=body, content_type="application/json")
        measure("finish", "post", f"{API}/sittings/{sitting['id']}/finish")
        prepared = User.objects.create(username="bench_queries_prepared", municipality_id=municipality_id)
        client.force_login(prepared)
        client.get(f"/tests/campaigns/{data['campaign_id']}/")  # the intro page prepares the paper
        measure("start_prepared", "post", f"{API}/campaigns/{data['campaign_id']}/sittings")
        measure("healthz", "get", "/healthz/")
        connections.close_all()
        return counts


ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"
ACCESS_KINDS = (
    ("start", "POST", re.compile(r"/campaigns/\d+/sittings$")),
    ("save", "PUT", re.compile(r"/answers/")),
    ("healthz", "GET", re.compile(r"^/healthz/$")),
)


def server_times(path):
    """The access log's time inside the worker per kind of request, ms (see ``--access-log``)."""
    times = collections.defaultdict(list)
    for line in path.read_text().splitlines():
        method, url, status, micros = line.split()
        for kind, kind_method, pattern in ACCESS_KINDS:
            if method == kind_method and status == "200" and pattern.search(url):
                times[kind].append(int(micros) / 1_000_000)
    return {kind: summarize(values) for kind, values in times.items()}


def floor_burst(plan, users, args, floor):
    """Everyone requests the floor's path once at one moment, two seconds from now: the floor under
    the start's burst. Returns ``(the moment, what the load generator recorded)``."""
    began = time.time() + 2
    burst_plan = dataclasses.replace(plan, t0=began, start_at=began, stop_at=began + args.duration_limit)
    return began, drive(burst_plan, users, args.clients, healthz_per_user=1, floor=floor)


def burst_summary(record, kind):
    return {
        "requests": sum(record.statuses.values()),
        "errors": sum(record.errors.values()),
        "latency_ms": summarize(record.latencies.get(kind, [])),
    }


def burst_cpu(trace, windows):
    """The CPU per component in each burst, from its moment to its last request answered (see
    ``--cpu-trace``); ``windows`` maps a burst's name to its moment and its requests' end times."""
    return {
        name: trace.window(began, max(ends), len(ends)) if ends else None
        for name, (began, ends) in windows.items()
    }


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def build_report(args, rec, verification, healthz, queries, timings, server_cpu=None):
    kinds = ("campaigns", "intro", "start", "save", "finish", "result", "healthz")
    latency = {kind: summarize(rec.latencies[kind]) for kind in kinds if rec.latencies.get(kind)}
    report = {
        "config": {
            key: getattr(args, key)
            for key in (
                "mode",
                "users",
                "questions",
                "changes",
                "think_min",
                "think_max",
                "ramp",
                "timer_share",
                "time_limit",
                "server",
                "workers",
                "threads",
                "clients",
                "settings",
                "db_pool",
                "limit_concurrency",
                "duration_limit",
                "request_timeout",
            )
        },
        "latency_ms": latency,
        "errors": sum(rec.errors.values()),
        "error_kinds": {"{} {}".format(*key): count for key, count in rec.errors.most_common(10)},
        "statuses": {"{} {}".format(*key): count for key, count in sorted(rec.statuses.items(), key=str)},
        "outcomes": dict(rec.outcomes),
        "verification": verification,
        "queries_per_call": queries,
        "timings_s": timings,
    }
    if server_cpu:
        answered = sum(count for (kind, status), count in rec.statuses.items() if kind != "healthz")
        server_cpu["load_phase_ms_per_request"] = round(
            1000 * server_cpu["load_phase_s"] / max(1, answered), 1
        )
        if healthz is not None:
            served = sum(healthz.statuses.values())
            server_cpu["healthz_ms_per_request"] = round(
                1000 * server_cpu["healthz_phase_s"] / max(1, served), 1
            )
        report["server_cpu"] = server_cpu
    save_rate = steady_rate(rec.ends.get("save", []))
    if save_rate:
        report["saves_per_s"] = round(save_rate, 1)
    if healthz is not None:
        healthz_rate = steady_rate(healthz.ends.get("healthz", []))
        report["healthz"] = {
            "requests": sum(len(v) for v in healthz.latencies.values()),
            "errors": sum(healthz.errors.values()),
            "per_s": None if healthz_rate is None else round(healthz_rate, 1),
            "latency_ms": summarize(healthz.latencies.get("healthz", [])),
        }
        if save_rate and healthz_rate:
            report["save_to_healthz_ratio"] = round(save_rate / healthz_rate, 3)
    return report


def virtual_users_and_plan(args, data, ports):
    """One virtual user per session (spread over ``ports``, arrivals within the ramp-up, the first
    ``timer_share`` of them timer users) and the run's timetable, starting two seconds from now."""
    rng = random.Random(args.seed)
    timer_count = round(args.users * args.timer_share)
    users = [
        VirtualUser(
            index=i,
            session_key=key,
            port=ports[i % len(ports)],
            arrival=rng.uniform(0, args.ramp),
            timer=i < timer_count,
        )
        for i, key in enumerate(data["sessions"])
    ]
    t0 = time.time() + 2
    plan = Plan(
        campaign_id=data["campaign_id"],
        csrf=data["csrf"],
        t0=t0,
        start_at=t0 + args.ramp,
        stop_at=t0 + args.duration_limit,
        think_min=args.think_min,
        think_max=args.think_max,
        changes=args.changes,
        seed=args.seed,
        request_timeout=args.request_timeout,
        intro=args.intro and args.mode == "realistic",
        answers=args.answers,
    )
    return users, plan


def main(argv=None):
    args = parse_args(argv)
    run = Run(args)
    timings = {"load_before": load_average()}
    report = None
    try:
        started = time.time()
        run.create_database()
        run.setup_django()
        timings["migrate"] = round(time.time() - started, 1)
        started = time.time()
        data = run.populate()
        timings["populate"] = round(time.time() - started, 1)
        run.start_server()
        run.wait_healthy()

        trace = CpuTrace({process.pid for process in run.server}).start() if args.cpu_trace else None
        users, plan = virtual_users_and_plan(args, data, run.ports())
        print(
            f"driving {args.users} users ({args.mode}); load average {timings['load_before']}",
            flush=True,
        )
        cpu = run.server_cpu()
        rec = drive(plan, users, args.clients)
        timings["load_phase"] = round(time.time() - plan.t0, 1)
        server_cpu = {"load_phase_s": round(run.server_cpu() - cpu, 1)}

        healthz = None
        floors = {}  # a burst's name: its floor (kind, path)
        if args.mode == "realistic":
            # The floor under "start": the same people hit the cheapest Django endpoint at one moment;
            # with --signed-in-burst then «my campaigns», which pays the session and the person too.
            floors["healthz_burst"] = HEALTHZ
            if args.signed_in_burst:
                floors["signed_in_burst"] = MY_CAMPAIGNS
        bursts = {}  # a burst's name: (its moment, what was recorded)
        for name, floor in floors.items():
            bursts[name] = floor_burst(plan, users, args, floor)
            timings[f"{name}_phase"] = round(time.time() - bursts[name][0], 1)
        if args.mode == "throughput":
            total = args.healthz_requests or args.users * 10
            per_user = max(1, total // args.users)
            t0 = time.time() + 1
            healthz_plan = dataclasses.replace(plan, t0=t0, start_at=t0, stop_at=t0 + args.duration_limit)
            cpu = run.server_cpu()
            healthz = drive(healthz_plan, users, args.clients, healthz_per_user=per_user)
            timings["healthz_phase"] = round(time.time() - t0, 1)
            server_cpu["healthz_phase_s"] = round(run.server_cpu() - cpu, 1)
        timings["load_after"] = load_average()
        verification = run.verify(data, rec)
        verification["server_tracebacks"] = run.server_errors()
        verification["server_log"] = run.server_log.name
        run.stop_server()
        queries = run.count_queries(data)
        report = build_report(args, rec, verification, healthz, queries, timings, server_cpu)
        for name, (_began, record) in bursts.items():
            report[name] = burst_summary(record, floors[name][0])
        if trace is not None:
            trace.stop()
            windows = {"start_burst": (plan.start_at, rec.ends.get("start", []))}
            for name, (began, record) in bursts.items():
                windows[name] = (began, record.ends.get(floors[name][0], []))
            report["cpu_by_component"] = burst_cpu(trace, windows)
        if args.access_log:
            report["inside_worker_ms"] = server_times(args.access_log)
    finally:
        run.stop_server()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        run.drop_database()
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")
    return report


if __name__ == "__main__":
    main()
