"""Faults during a running remote-testing campaign: does every confirmed answer survive?

Runs the campaign load of ``campaign_load.py`` (real servers on PostgreSQL + Redis, real HTTP clients
that retry like the test page does) and, while people are answering, breaks things on purpose:

1. ``kill-worker``: SIGKILL one of the ASGI server processes (daphne, one per port) and start it again
   two seconds later, as systemd's ``Restart=always`` would;
2. ``restart-redis``: stop the Redis the servers use (a private ``redis-server`` on its own port, so
   the machine's Redis and other tests are untouched) and start it again two seconds later;
3. ``drop-db``: ``pg_terminate_backend`` every server connection to the campaign's database.

Afterwards it checks the database: every answer the server confirmed with 200 is stored (``lost``),
no sitting is corrupt (a finished sitting without a score or finish time, a response outside the
sitting's questions, a finish after the deadline plus grace), and how many people got through to the
end (finished, or stopped by the timer). The report is JSON; figures go to ``docs/reliability.md``.

    .venv/bin/python benchmarks/faults.py --users 300 --output /tmp/faults.json
"""

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import campaign_load as load

FAULT_NAMES = ("kill-worker", "restart-redis", "drop-db")
DEFAULT_SCHEDULE = "kill-worker@15,restart-redis@35,drop-db@55"
RESTART_DELAY = 2.0
GRACE_SECONDS = 10


def parse_schedule(text):
    """``"kill-worker@15,drop-db@55"`` → ``[("kill-worker", 15.0), ("drop-db", 55.0)]`` sorted by time."""
    schedule = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, at = item.partition("@")
        if name not in FAULT_NAMES:
            raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULT_NAMES)}")
        schedule.append((name, float(at or 0)))
    return sorted(schedule, key=lambda fault: fault[1])


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse_args(argv=None):
    argv = list(argv if argv is not None else sys.argv[1:])
    own = {"--schedule": DEFAULT_SCHEDULE}
    for flag in list(own):
        if flag in argv:
            index = argv.index(flag)
            own[flag] = argv[index + 1]
            del argv[index : index + 2]
    defaults = [
        "--users", "300", "--think-min", "1", "--think-max", "3", "--ramp", "10", "--time-limit", "3",
        "--server", "daphne", "--workers", "2", "--db-pool", "20", "--duration-limit", "300",
        "--port", "8871",
        "--database-url", f"postgres://postgres@127.0.0.1:5432/antikor_faults_{os.getpid()}",
    ]  # fmt: skip
    given = {arg for arg in argv if arg.startswith("--")}
    merged = []
    for flag, value in zip(defaults[::2], defaults[1::2], strict=True):
        if flag not in given:
            merged += [flag, value]
    args = load.parse_args(merged + argv)
    if args.server != "daphne":
        raise SystemExit("faults.py restarts one server process per port: use --server daphne")
    args.schedule = parse_schedule(own["--schedule"])
    return args


class PrivateRedis:
    """A throwaway redis-server on a free port, which this script may stop and start at will."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5),
            ):
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class FaultRun(load.Run):
    def restart_worker(self, index, delay=RESTART_DELAY):
        """SIGKILL server process ``index`` (its whole process group), start the same command again."""
        old = self.server[index]
        command = old.args
        os.killpg(old.pid, signal.SIGKILL)
        old.wait(10)
        time.sleep(delay)
        env = {**self.env, "BENCH_DB_POOL": str(self.args.db_pool)} if self.args.db_pool else self.env
        self.server[index] = subprocess.Popen(
            command,
            cwd=load.BASE_DIR,
            env=env,
            stdout=self.server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def terminate_connections(self):
        """Drop every connection to the campaign's database (the servers' pooled ones included)."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            rows = connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.database_name],
            ).fetchall()
        return len(rows)

    def check_integrity(self, data):
        """Sittings and responses that break the rules, whatever happened to the servers."""
        import datetime

        from django.db import connections
        from django.db.models import Count

        from quizzes.models import Response, Sitting

        sittings = Sitting.objects.filter(campaign_id=data["campaign_id"])
        grace = datetime.timedelta(seconds=GRACE_SECONDS)
        finished = sittings.exclude(finished_at=None)
        problems = {
            "finished_without_score": sittings.filter(state=Sitting.State.FINISHED, score=None).count(),
            "finished_without_time": sittings.filter(state=Sitting.State.FINISHED, finished_at=None).count(),
            "finished_after_deadline_plus_grace": sum(
                1
                for finished_at, deadline in finished.values_list("finished_at", "deadline")
                if deadline is not None and finished_at > deadline + grace
            ),
            "responses_outside_the_sitting": sum(
                1
                for question_id, order in Response.objects.filter(sitting__in=sittings).values_list(
                    "question_id", "sitting__question_order"
                )
                if order is not None and question_id not in order
            ),
            "duplicate_responses": Response.objects.filter(sitting__in=sittings)
            .values("sitting_id", "question_id")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count(),
            "people_with_two_sittings": sittings.values("user_id")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count(),
        }
        connections.close_all()
        return problems


def close_orchestrator_connections():
    from django.db import connections

    for connection in connections.all():
        with contextlib.suppress(Exception):
            connection.close()
        # production settings pool connections: a terminated one would be handed out again
        if hasattr(connection, "close_pool"):
            with contextlib.suppress(Exception):
                connection.close_pool()


def after_reconnect(read, attempts=3):
    """Run a read of the orchestrator's; a connection terminated by the drop-db fault is reopened."""
    from django.db import OperationalError

    for attempt in range(attempts):
        close_orchestrator_connections()
        try:
            return read()
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(1)
    return None


def inject(run, redis, schedule, start_at, log):
    """Carry out the schedule (seconds after the synchronized start); record what was done and when."""
    for name, at in schedule:
        delay = start_at + at - time.time()
        if delay > 0:
            time.sleep(delay)
        began = time.time()
        if name == "kill-worker":
            run.restart_worker(random.randrange(len(run.server)))
            detail = "one daphne process killed (SIGKILL) and started again"
        elif name == "restart-redis":
            redis.stop()
            time.sleep(RESTART_DELAY)
            redis.start()
            detail = "redis-server stopped and started again (empty)"
        else:
            detail = f"{run.terminate_connections()} database connections terminated"
        log.append(
            {
                "fault": name,
                "at_s": round(began - start_at, 1),
                "took_s": round(time.time() - began, 1),
                "detail": detail,
            }
        )


def main(argv=None):
    args = parse_args(argv)
    redis = PrivateRedis()
    redis.start()
    args.redis_url = redis.url
    run = FaultRun(args)
    faults = []
    report = None
    try:
        run.create_database()
        run.setup_django()
        data = run.populate()
        close_orchestrator_connections()  # only the servers' connections are to be dropped
        run.start_server()
        run.wait_healthy()
        users, plan = load.virtual_users_and_plan(args, data, run.ports())
        injector = threading.Thread(
            target=inject, args=(run, redis, args.schedule, plan.start_at, faults), daemon=True
        )
        load_before = load.load_average()
        print(f"driving {args.users} users with faults {args.schedule}", flush=True)
        injector.start()
        rec = load.drive(plan, users, args.clients)
        injector.join(timeout=60)
        verification = after_reconnect(lambda: run.verify(data, rec))
        verification["integrity"] = after_reconnect(lambda: run.check_integrity(data))
        verification["server_tracebacks"] = run.server_errors()
        run.stop_server()
        through = sum(
            count for outcome, count in rec.outcomes.items() if outcome.startswith(("finished", "by_timer"))
        )
        report = {
            "config": {
                "users": args.users,
                "think": [args.think_min, args.think_max],
                "ramp": args.ramp,
                "time_limit_min": args.time_limit,
                "server": f"{args.workers} x daphne",
                "db_pool": args.db_pool,
            },
            "faults": faults,
            "people_through_to_the_end": through,
            "people": args.users,
            "latency_ms": {kind: load.summarize(values) for kind, values in rec.latencies.items()},
            "errors_seen_by_clients": sum(rec.errors.values()),
            "error_kinds": {"{} {}".format(*key): count for key, count in rec.errors.most_common(10)},
            "outcomes": dict(rec.outcomes),
            "verification": verification,
            "load_average": [load_before, load.load_average()],
        }
    finally:
        run.stop_server()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        run.drop_database()
        redis.stop()
    text = json.dumps(report, indent=2, ensure_ascii=False, default=str)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")
    return report


if __name__ == "__main__":
    main()
