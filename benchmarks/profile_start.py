"""Where a start's time goes: N starts and N ``/healthz/`` through Django's WSGI handler, in process.

No server and no load generator: each request is a hand-made WSGI environ handed to
``django.core.wsgi.get_wsgi_application()`` with the person's session cookie, exactly what gunicorn
would hand it. The script creates a throwaway PostgreSQL database (as ``campaign_load.py`` does: the
production settings, bulk servants with a session each, the 16-question campaign), optionally opens each
person's campaign intro first (``--prepare``: the paper is made then, as during a ramp-up), and reports
the CPU per request (process time, median of ``--repeat`` rounds) of a start and of ``/healthz/``, their
ratio, the queries per start, and the cProfile table of the starts.

    .venv/bin/python benchmarks/profile_start.py --users 300 --prepare
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from benchmarks.campaign_load import API, Run  # noqa: E402
from benchmarks.campaign_load import parse_args as load_args  # noqa: E402
from benchmarks.cpu_trace import CLOCK_TICKS, processes  # noqa: E402


def environ(method, path, session_key, csrf):
    from io import BytesIO

    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_COOKIE": f"sessionid={session_key}; csrftoken={csrf}",
        "HTTP_X_CSRFTOKEN": csrf,
        "CONTENT_LENGTH": "0",
        "wsgi.input": BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def call(app, env):
    status = []

    def start_response(line, headers, exc_info=None):
        status.append(int(line.split()[0]))

    body = b"".join(app(env, start_response))
    return status[0], body


def timed(app, envs):
    """``(cpu, wall)`` seconds per request over ``envs``: process time, and wall time, which adds the
    database's work (done on the other core). Every answer must be 200."""
    started, wall = time.process_time(), time.perf_counter()
    for env in envs:
        code, body = call(app, env)
        if code != 200:
            raise SystemExit(f"{env['REQUEST_METHOD']} {env['PATH_INFO']}: {code} {body[:300]!r}")
    return (time.process_time() - started) / len(envs), (time.perf_counter() - wall) / len(envs)


def backend_cpu(admin):
    """CPU seconds used so far by each PostgreSQL backend serving this database, by pid (``admin``, the
    connection that asks, left out): the database's side of the requests, which ``timed`` cannot see."""
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = {pid for (pid,) in cursor.fetchall()}
    # (a backend that has ended since, or a database on another machine, is not found in /proc)
    return {pid: ticks / CLOCK_TICKS for pid, _ppid, _pgrp, _name, ticks in processes() if pid in pids}


def backend_cpu_between(before, after):
    """What the backends used between two :func:`backend_cpu` readings (a backend that appeared in
    between counts whole)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def explain(session_keys, campaign_id):
    """``EXPLAIN (ANALYZE)`` of the start's one statement (PostgreSQL) for the people of these sessions,
    with the values a start binds: the median planning and execution time, as PostgreSQL counts them
    (the commit, the round trip and the client's work are outside both)."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.utils import timezone

    from people.models import User
    from quizzes.services import prepared

    statement = prepared._statements().start
    planning, execution = [], []
    for key in session_keys:
        user = User.objects.get(pk=SessionStore(key)[SESSION_KEY])
        params = prepared.start_statement_params(user, campaign_id, timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", params)
            (plan,) = cursor.fetchone()[0]
        planning.append(plan["Planning Time"])
        execution.append(plan["Execution Time"])
    print(
        f"EXPLAIN ANALYZE of the start, {len(execution)} people, median ms: "
        f"planning {statistics.median(planning):.2f} (what a prepared plan saves), "
        f"execution {statistics.median(execution):.2f}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of /healthz/ (median)")
    parser.add_argument("--prepare", action="store_true", help="open each person's campaign intro first")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="pstats order of the table (tottime: own time)")
    parser.add_argument("--dump", type=Path, help="write the starts' cProfile stats here (pstats, snakeviz)")
    parser.add_argument("--callees", nargs="*", help="functions whose callees to list (pstats patterns)")
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="N",
        help="with --prepare: EXPLAIN ANALYZE the start's statement for N more people (PostgreSQL's time)",
    )
    parser.add_argument(
        "--database-url", default=f"postgres://postgres@127.0.0.1:5432/antikor_profile_{os.getpid()}"
    )
    args = parser.parse_args(argv)
    run = Run(
        load_args(["--users", str(args.users), "--database-url", args.database_url, "--questions", "16"])
    )
    admin = None
    try:
        run.create_database()
        import psycopg

        admin = psycopg.connect(args.database_url, autocommit=True)  # reads pg_stat_activity
        run.setup_django()
        data = run.populate()
        from django.core.wsgi import get_wsgi_application
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        app = get_wsgi_application()
        keys, csrf, campaign = data["sessions"], data["csrf"], data["campaign_id"]
        warm = keys.pop()  # the first start in a process fills the per-process caches: not measured
        call(app, environ("POST", f"{API}/campaigns/{campaign}/sittings", warm, csrf))
        prepare_cpu = None
        if args.prepare:
            envs = [environ("GET", f"/tests/campaigns/{campaign}/", key, csrf) for key in keys]
            prepare_cpu, _wall = timed(app, envs)
        explained = [keys.pop() for _ in range(args.explain if args.prepare else 0)]
        healthz_envs = [environ("GET", "/healthz/", key, csrf) for key in keys]
        pg_before = backend_cpu(admin)
        healthz_rounds = [timed(app, healthz_envs) for _ in range(args.repeat)]
        pg_healthz = backend_cpu_between(pg_before, backend_cpu(admin)) / (args.repeat * len(healthz_envs))
        healthz = [cpu for cpu, _wall in healthz_rounds]
        probe = keys.pop()
        with CaptureQueriesContext(connection) as captured:
            call(app, environ("POST", f"{API}/campaigns/{campaign}/sittings", probe, csrf))
        queries = [q["sql"] for q in captured if not q["sql"].startswith(("BEGIN", "COMMIT"))]
        envs = [environ("POST", f"{API}/campaigns/{campaign}/sittings", key, csrf) for key in keys]
        half = len(envs) // 2
        statement_walls = {}

        def time_statement(execute, sql, params, many, context):
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                statement_walls.setdefault(sql[:40], []).append(time.perf_counter() - began)

        pg_before = backend_cpu(admin)
        with connection.execute_wrapper(time_statement):
            start, wall_start = timed(app, envs[:half])  # the figure, without the profiler's overhead
        pg_start = backend_cpu_between(pg_before, backend_cpu(admin)) / half
        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting for PostgreSQL
        profiler.enable()
        timed(app, envs[half:])  # the table
        profiler.disable()
        if args.dump:
            profiler.dump_stats(args.dump)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
        stats.print_stats(args.top)
        if args.callees:
            stats.print_callees(*args.callees)
        print(out.getvalue())
        median_healthz = statistics.median(healthz)
        print(f"queries per start ({len(queries)}):")
        for sql in queries:
            print("   ", sql[:160])
        print(
            f"\nCPU per request in process, ms: start {1000 * start:.2f}, "
            f"/healthz/ {1000 * median_healthz:.2f} (median of {args.repeat}), "
            + (f"intro page {1000 * prepare_cpu:.2f}, " if prepare_cpu is not None else "")
            + f"ratio start / healthz {start / median_healthz:.1f}; "
            + f"{half} starts timed, {len(envs) - half} profiled"
        )
        for sql, walls in statement_walls.items():
            print(f"   {1000 * statistics.median(walls):6.2f} ms median wall, {len(walls)}x  {sql}")
        wall_healthz = statistics.median(wall for _cpu, wall in healthz_rounds)
        print(
            f"wall per request (the database's work included), ms: start {1000 * wall_start:.2f}, "
            f"/healthz/ {1000 * wall_healthz:.2f}, ratio {wall_start / wall_healthz:.1f}"
        )
        print(
            f"PostgreSQL backends' CPU per request, ms: start {1000 * pg_start:.2f}, "
            f"/healthz/ {1000 * pg_healthz:.2f} (the commit's wait for the disk is not CPU)"
        )
        if explained:
            explain(explained, campaign)
        from django.db import connections

        connections.close_all()
    finally:
        if admin is not None:
            admin.close()
        run.drop_database()


if __name__ == "__main__":
    main()
