"""Live event benchmark: N participants keep the live page of one event open while a moderator acts.

The live Q&A and attendance counter (``ws/events/<pk>/live/``, :mod:`events.consumers`) with the
Redis channel layer. The script:

1. creates a throwaway PostgreSQL database, migrates it with the production settings, and bulk-creates
   N servants registered for one event that is going on now, one logged-in session each, a moderator
   (a regional manager) and one question;
2. starts the ASGI server: daphne, ``--workers`` processes on consecutive ports (uvicorn needs the
   ``websockets`` or ``wsproto`` package for WebSockets, which the project does not install), and
   waits for ``/healthz/``;
3. measures the server's resident memory, then connects the N clients (aiohttp WebSockets, asyncio
   tasks split over ``--clients`` processes, spread over the server ports), each waiting for its
   snapshot; measures the memory again: the difference per connection;
4. a moderator connection toggles the question answered/open once a second for ``--duration``
   seconds; every client records the version and arrival time of each ``question`` message;
5. reports connect success, messages missed (versions the moderator's own echo confirmed but a
   connected client never received), p50/p95/p99/max delivery latency (the moderator's send time to
   the arrival at each client, same machine clock), server memory, CPU and the load average; stops the
   server and drops the database (unless ``--keep``).

Run ``.venv/bin/python benchmarks/live_events.py --help``; figures and commands are in
``docs/performance.md``. The pure helpers (delivery accounting, memory parsing, splitting the
clients) are importable without Django for ``tests/test_benchmark_live_smoke.py``.
"""

import argparse
import asyncio
import collections
import dataclasses
import datetime
import json
import multiprocessing
import os
import queue
import resource
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.campaign_load import BASE_DIR, Run, create_load_servants, load_average, session_for, summarize

WS_PATH = "/ws/events/{pk}/live/"
ORIGIN = "http://127.0.0.1:{port}"  # the socket's own origin, scheme, host and port (config/origins.py)


# --- pure helpers (no Django, no network): covered by tests/test_benchmark_live_smoke.py -------------


def pair_sends_with_versions(events):
    """Match the moderator's actions with the versions the server gave them.

    ``events`` is the moderator connection's timeline in order: ``("send", t)`` for each action sent,
    ``("question", version)`` for each question message received back, ``("error", code)`` for each
    refusal. The server answers the actions of one connection in order, each with exactly one
    question message or one error, so the k-th answer belongs to the k-th send. Returns
    ``({version: send_time}, errors)`` where ``errors`` counts the refused actions.
    """
    pending = collections.deque()
    sent_at = {}
    errors = 0
    for kind, value in events:
        if kind == "send":
            pending.append(value)
        elif not pending:
            continue  # a message nobody here caused (another moderator): not ours to time
        elif kind == "question":
            sent_at[value] = pending.popleft()
        elif kind == "error":
            pending.popleft()
            errors += 1
    return sent_at, errors


def expected_versions(events):
    """Every version the moderator's actions should have produced, answered in time or not.

    Each accepted action raises the question's version by one from the ``("start", version)`` of the
    snapshot; refused ones (``("error", code)``) produce none.
    """
    start = next((value for kind, value in events if kind == "start"), None)
    if start is None:
        return set()
    sends = sum(1 for kind, _value in events if kind == "send")
    errors = sum(1 for kind, _value in events if kind == "error")
    return set(range(start + 1, start + 1 + sends - errors))


def missed_messages(expected, arrivals_by_client):
    """Messages of ``expected`` versions that never arrived, summed over the clients."""
    return sum(len(expected - arrivals.keys()) for arrivals in arrivals_by_client)


def delivery(sent_at, arrivals_by_client):
    """Latencies and misses of the versions in ``sent_at`` over the clients' arrivals.

    ``arrivals_by_client`` is a list, one ``{version: arrival_time}`` per connected client. Returns
    ``(latencies_in_seconds, missed, clients_missing_any)``; a version that arrived at a client
    without having been sent by the moderator is ignored.
    """
    latencies = []
    missed = 0
    clients_missing = 0
    expected = set(sent_at)
    for arrivals in arrivals_by_client:
        received = expected & arrivals.keys()
        missing = len(expected) - len(received)
        missed += missing
        clients_missing += bool(missing)
        latencies.extend(arrivals[version] - sent_at[version] for version in received)
    return latencies, missed, clients_missing


def busy_cpu_seconds(stat_text, ticks_per_second=100):
    """CPU seconds the whole machine spent busy (all but idle and iowait) from a ``/proc/stat`` text."""
    fields = [int(x) for x in stat_text.splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / ticks_per_second


def machine_busy_seconds():
    with open("/proc/stat") as stat:
        return busy_cpu_seconds(stat.read(), os.sysconf("SC_CLK_TCK"))


def rss_kib(status_text):
    """The ``VmRSS`` of a ``/proc/<pid>/status`` text in KiB (0 when absent: a zombie)."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def per_connection_kib(before_kib, after_kib, connections):
    """Server memory growth per open connection in KiB (None without connections)."""
    if connections <= 0:
        return None
    return round((after_kib - before_kib) / connections, 1)


def split_clients(sessions, ports, processes):
    """Give each session a port (round robin) and deal the pairs out to ``processes`` slices."""
    pairs = [(session, ports[i % len(ports)]) for i, session in enumerate(sessions)]
    return [pairs[i::processes] for i in range(max(1, processes))]


def raise_open_files_limit(wanted):
    """Raise the soft limit of open files towards ``wanted`` (up to the hard limit); returns it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


@dataclasses.dataclass
class ClientRecord:
    """What one client process saw; picklable."""

    attempted: int = 0
    connected: int = 0
    connect_seconds: list = dataclasses.field(default_factory=list)
    failures: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    dropped: int = 0  # connected, then closed by the server before the end
    arrivals: list = dataclasses.field(default_factory=list)  # one {version: time} per connected client
    other_messages: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    cpu_s: float = 0.0  # CPU time of the client process


def merge_client_records(records):
    merged = ClientRecord()
    for record in records:
        merged.attempted += record.attempted
        merged.connected += record.connected
        merged.connect_seconds.extend(record.connect_seconds)
        merged.failures.update(record.failures)
        merged.dropped += record.dropped
        merged.arrivals.extend(record.arrivals)
        merged.other_messages.update(record.other_messages)
        merged.cpu_s += record.cpu_s
    return merged


# --- clients ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class Plan:
    event_id: int
    question_id: int
    stop_at: float  # wall clock: the hard stop, should the orchestrator never say so
    connect_concurrency: int  # handshakes in flight per client process
    connect_timeout: float


def _headers(session_key, port):
    return {"Cookie": f"sessionid={session_key}", "Origin": ORIGIN.format(port=port)}


async def _client(http, plan, session_key, port, record, semaphore, counter, state):
    import aiohttp

    url = f"ws://127.0.0.1:{port}" + WS_PATH.format(pk=plan.event_id)
    record.attempted += 1
    try:
        async with semaphore:
            started = time.perf_counter()  # waiting for a free handshake slot is not counted
            ws = await http.ws_connect(
                url, headers=_headers(session_key, port), heartbeat=None, autoping=True
            )
            first = await ws.receive(timeout=plan.connect_timeout)
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        record.failures[type(error).__name__] += 1
        return
    if first.type != aiohttp.WSMsgType.TEXT or json.loads(first.data).get("type") != "snapshot":
        record.failures[f"no snapshot ({first.type.name}, {ws.close_code})"] += 1
        await ws.close()
        return
    record.connected += 1
    record.connect_seconds.append(time.perf_counter() - started)
    with counter.get_lock():
        counter.value += 1
    arrivals = {}
    record.arrivals.append(arrivals)
    state["open"].add(ws)
    try:
        async for message in ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            now = time.time()
            data = json.loads(message.data)
            if data.get("type") == "question" and data["question"]["id"] == plan.question_id:
                arrivals.setdefault(data["question"]["version"], now)
            else:
                record.other_messages[data.get("type")] += 1
        if not state["stopping"]:
            record.dropped += 1  # closed by the server (or the network) before the end of the run
    finally:
        state["open"].discard(ws)
        await ws.close()


async def _stop_when_told(plan, stop, state):
    """Close every connection once the orchestrator sets ``stop`` (or at the hard stop)."""
    while not stop.value and time.time() < plan.stop_at:
        await asyncio.sleep(0.2)
    state["stopping"] = True
    await asyncio.gather(*(ws.close() for ws in list(state["open"])), return_exceptions=True)


async def _run_clients(plan, pairs, counter, stop):
    import aiohttp

    semaphore = asyncio.Semaphore(plan.connect_concurrency)
    record = ClientRecord()
    state = {"open": set(), "stopping": False}
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http:
        stopper = asyncio.ensure_future(_stop_when_told(plan, stop, state))
        await asyncio.gather(
            *(_client(http, plan, key, port, record, semaphore, counter, state) for key, port in pairs)
        )
        stopper.cancel()
        await asyncio.gather(stopper, return_exceptions=True)
    return record


def client_process(plan, pairs, counter, stop, results):
    """Entry point of one client process: its record goes to the ``results`` queue."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop is pinned in requirements.txt
        pass
    record = asyncio.run(_run_clients(plan, pairs, counter, stop))
    record.cpu_s = time.process_time()
    results.put(record)


async def moderate(plan, session_key, port, duration, interval):
    """The moderator: connect, then toggle the question once per ``interval``; returns the timeline."""
    import aiohttp

    url = f"ws://127.0.0.1:{port}" + WS_PATH.format(pk=plan.event_id)
    timeline = []
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        ws = await http.ws_connect(url, headers=_headers(session_key, port), heartbeat=None)
        snapshot = json.loads((await ws.receive(timeout=30)).data)
        assert snapshot["type"] == "snapshot" and snapshot["moderator"], snapshot
        question = next(q for q in snapshot["questions"] if q["id"] == plan.question_id)
        state = question["state"]
        timeline.append(("start", question["version"]))

        async def listen():
            async for message in ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                data = json.loads(message.data)
                if data.get("type") == "question" and data["question"]["id"] == plan.question_id:
                    timeline.append(("question", data["question"]["version"]))
                elif data.get("type") == "error":
                    timeline.append(("error", data.get("code")))

        listener = asyncio.ensure_future(listen())
        start = time.time()
        for i in range(int(duration / interval)):
            await asyncio.sleep(max(0.0, start + i * interval - time.time()))
            state = "open" if state == "answered" else "answered"
            timeline.append(("send", time.time()))
            await ws.send_json({"action": "moderate", "question": plan.question_id, "state": state})
        await asyncio.sleep(max(0.0, plan.stop_at - time.time() - 0.5))
        await ws.close()
        listener.cancel()
        await asyncio.gather(listener, return_exceptions=True)
    return timeline


async def _warm_up(ports, event_id, session_key, rounds=3):
    """Open and close a few connections per port so module loading is not counted per connection."""
    import aiohttp

    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        for port in ports:
            for _ in range(rounds):
                url = f"ws://127.0.0.1:{port}" + WS_PATH.format(pk=event_id)
                async with http.ws_connect(url, headers=_headers(session_key, port)) as ws:
                    await ws.receive(timeout=30)


# --- the run ----------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000, help="participants connected the whole run")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of moderator actions")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between moderator actions")
    parser.add_argument("--workers", type=int, default=2, help="daphne processes (consecutive ports)")
    parser.add_argument("--port", type=int, default=8865)
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument(
        "--connect-concurrency", type=int, default=10, help="handshakes in flight per process"
    )
    parser.add_argument("--connect-timeout", type=float, default=120.0, help="seconds per handshake+snapshot")
    parser.add_argument(
        "--database-url",
        default=f"postgres://postgres@127.0.0.1:5432/antikor_live_bench_{os.getpid()}",
        help="the database named here is created and dropped; it must not exist",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument(
        "--channel-layer",
        choices=("settings", "pubsub"),
        default="settings",
        help="settings: the layer of --settings (RedisChannelLayer); pubsub: channels-redis' "
        "RedisPubSubChannelLayer on top of them, through a settings module generated in /tmp",
    )
    parser.add_argument(
        "--keep-redis",
        action="store_true",
        help="do not empty the Redis database of --redis-url first (it must be the benchmark's own: "
        "consumers that could not leave the event's group in an earlier run would still receive)",
    )
    parser.add_argument("--settings", default="config.settings.production")
    parser.add_argument(
        "--db-pool", type=int, default=0, help="psycopg pool size per server process (0: off)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--output", type=Path, help="write the report as JSON here too")
    args = parser.parse_args(argv)
    # what benchmarks.campaign_load.Run reads
    args.server = "daphne"
    args.limit_concurrency = None
    if args.db_pool and args.settings == "config.settings.production":
        args.settings = "benchmarks.settings"
    return args


PUBSUB_SETTINGS = """from {base} import *  # noqa: F403

CHANNEL_LAYERS["default"]["BACKEND"] = "channels_redis.pubsub.RedisPubSubChannelLayer"  # noqa: F405
"""


class LiveRun(Run):
    def __init__(self, args):
        super().__init__(args)
        if args.channel_layer == "pubsub":
            folder = Path(tempfile.mkdtemp(prefix="live_bench_settings_"))
            (folder / "live_bench_settings.py").write_text(PUBSUB_SETTINGS.format(base=args.settings))
            sys.path.insert(0, str(folder))
            self.env["PYTHONPATH"] = os.pathsep.join([str(BASE_DIR), str(folder)])
            self.env["DJANGO_SETTINGS_MODULE"] = "live_bench_settings"

    def populate(self):
        """N registered participants with sessions, a moderator, an event going on now, one question."""
        from django.contrib.sessions.models import Session
        from django.db import connections
        from django.utils import timezone

        from events.factories import make_event
        from events.models import EventPage, Question, Registration
        from people.models import ServiceCategory, User
        from people.roles import Role, assign_role

        args = self.args
        now = timezone.now()
        participants = create_load_servants(args.users, "live", "Слушатель")
        password = participants[0].password
        moderator = User.objects.create(
            username="live_moderator",
            last_name="Модератор",
            category=ServiceCategory.STATE_CIVIL,
            password=password,
        )
        assign_role(moderator, Role.REGIONAL_MANAGER)
        event = make_event(
            start=now - datetime.timedelta(minutes=10),
            duration=datetime.timedelta(hours=6),
            format=EventPage.Format.HYBRID,
            title="Нагрузочный семинар",
        )
        Registration.objects.bulk_create(
            (Registration(event=event, user=user, created=now, updated=now) for user in participants),
            batch_size=1000,
        )
        question = Question.objects.create(
            event=event,
            author=participants[0],
            text="Нужно ли уведомлять о подарке стоимостью до 3 000 рублей?",
        )
        sessions = [session_for(user, now) for user in participants]
        moderator_session = session_for(moderator, now)
        Session.objects.bulk_create([*sessions, moderator_session], batch_size=1000)
        connections.close_all()
        return {
            "event_id": event.pk,
            "question_id": question.pk,
            "sessions": [session.session_key for session in sessions],
            "moderator_session": moderator_session.session_key,
        }

    def server_rss_kib(self):
        """Resident memory of every server process (all of their process groups) in KiB."""
        groups = {process.pid for process in self.server}
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) not in groups:  # pgrp
                    continue
                total += rss_kib((stat.parent / "status").read_text())
            except (OSError, ValueError):
                continue
        return total


def main(argv=None):
    args = parse_args(argv)
    open_files = raise_open_files_limit(args.users * 2 + 1000)  # inherited by server and clients
    run = LiveRun(args)
    report = None
    timings = {"load_before": load_average()}
    try:
        started = time.time()
        if not args.keep_redis:
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()
        run.create_database()
        run.setup_django()
        data = run.populate()
        timings["setup_s"] = round(time.time() - started, 1)
        run.start_server()
        run.wait_healthy()
        ports = run.ports()
        asyncio.run(_warm_up(ports, data["event_id"], data["moderator_session"]))
        time.sleep(1)
        rss_before = run.server_rss_kib()

        slices = split_clients(data["sessions"], ports, args.clients)
        context = multiprocessing.get_context("fork")
        counter = context.Value("i", 0)
        stop = context.Value("b", 0)
        results = context.Queue()
        connect_budget = args.connect_timeout + args.users / 50
        stop_at = time.time() + connect_budget + args.duration + 60
        plan = Plan(
            event_id=data["event_id"],
            question_id=data["question_id"],
            stop_at=stop_at,
            connect_concurrency=args.connect_concurrency,
            connect_timeout=args.connect_timeout,
        )
        print(f"connecting {args.users} clients; open files limit {open_files}", flush=True)
        connect_started = time.time()
        processes = [
            context.Process(target=client_process, args=(plan, part, counter, stop, results))
            for part in slices
        ]
        for process in processes:
            process.start()
        deadline = connect_started + connect_budget
        while counter.value < args.users and time.time() < deadline:
            time.sleep(0.2)
        timings["connect_all_s"] = round(time.time() - connect_started, 1)
        time.sleep(2)  # let the last handshakes settle before measuring
        connected_now = counter.value
        rss_connected = run.server_rss_kib()
        cpu = run.server_cpu()
        busy = machine_busy_seconds()
        moderation_started = time.time()
        timings["load_connected"] = load_average()
        print(f"{connected_now} connected in {timings['connect_all_s']} s; moderating", flush=True)

        moderation_end = time.time() + args.duration + 5  # the last messages have 5 s to arrive
        moderator_plan = dataclasses.replace(plan, stop_at=moderation_end)
        timeline = asyncio.run(
            moderate(moderator_plan, data["moderator_session"], ports[0], args.duration, args.interval)
        )
        server_cpu_s = run.server_cpu() - cpu
        machine_busy_s = machine_busy_seconds() - busy
        moderation_wall_s = time.time() - moderation_started
        timings["load_after"] = load_average()
        rss_after = run.server_rss_kib()
        stop.value = 1
        records = []
        for _ in processes:
            try:
                records.append(results.get(timeout=120))
            except queue.Empty:
                break
        for process in processes:
            process.join(timeout=30)
        record = merge_client_records(records)
        sent_at, refused = pair_sends_with_versions(timeline)
        latencies, missed, clients_missing = delivery(sent_at, record.arrivals)
        expected = expected_versions(timeline)
        report = {
            "config": {
                key: getattr(args, key)
                for key in (
                    "users",
                    "duration",
                    "interval",
                    "workers",
                    "clients",
                    "connect_concurrency",
                    "settings",
                    "channel_layer",
                    "redis_url",
                    "db_pool",
                )
            },
            "connect": {
                "attempted": record.attempted,
                "connected": record.connected,
                "success_rate": round(record.connected / max(1, record.attempted), 4),
                "failures": dict(record.failures),
                "dropped_during_run": record.dropped,
                "handshake_and_snapshot_ms": summarize(record.connect_seconds),
                "all_connected_after_s": timings["connect_all_s"],
            },
            "moderator": {
                "actions_sent": sum(1 for kind, _ in timeline if kind == "send"),
                "confirmed_versions": len(sent_at),
                "refused": refused,
            },
            "delivery": {
                "expected_messages": len(sent_at) * len(record.arrivals),
                "missed_messages": missed,
                "expected_messages_all_actions": len(expected) * len(record.arrivals),
                "missed_messages_all_actions": missed_messages(expected, record.arrivals),
                "clients_missing_any": clients_missing,
                "latency_ms": summarize(latencies),
            },
            "server": {
                "processes": f"daphne x {args.workers}",
                "rss_before_mib": round(rss_before / 1024, 1),
                "rss_connected_mib": round(rss_connected / 1024, 1),
                "rss_after_mib": round(rss_after / 1024, 1),
                "connected_when_measured": connected_now,
                "kib_per_connection": per_connection_kib(rss_before, rss_connected, connected_now),
                "cpu_s_during_moderation": round(server_cpu_s, 1),
                "tracebacks": run.server_errors(),
                "log": run.server_log.name,
            },
            "machine": {
                "moderation_wall_s": round(moderation_wall_s, 1),
                "busy_cpu_s_all_processes": round(machine_busy_s, 1),
                "cpu_s_available": round(moderation_wall_s * (os.cpu_count() or 1), 1),
                "server_cpu_s": round(server_cpu_s, 1),
                "client_processes_cpu_s_whole_run": round(record.cpu_s, 1),
            },
            "other_messages": dict(record.other_messages),
            "timings": timings,
            "cpus": os.cpu_count(),
        }
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
    os.chdir(BASE_DIR)
    main()
