"""Real processes racing on one SQLite file: one sitting per start race, newest answer wins, and a
finish never scores without an answer that was accepted.

SQLite needs ``transaction_mode=IMMEDIATE`` for this (a transaction takes the write lock when it
begins and waits for it, instead of failing with "database is locked" when it upgrades a read lock).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 6


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("race") / "race.sqlite3"
    url = f"sqlite:///{path}?transaction_mode=IMMEDIATE&timeout=30"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return url


def run_together(database_url, jobs, delay=5):
    """Run ``(action, args)`` jobs as separate processes that all begin at the same instant."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    go_at = str(time.time() + delay)  # long enough for every process to import Django
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "quizzes.tests.race_worker", action, go_at, json.dumps(args)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for action, args in jobs
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def query(database_url, code):
    """Evaluate ``code`` in a Django process on the race database; it must print JSON."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    script = f"import django, json; django.setup()\n{code}"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def test_processes_racing_on_one_sitting(database_url):
    (ids,) = run_together(database_url, [("setup", {"questions": 5})], delay=0)

    starts = run_together(database_url, [("start", ids)] * WORKERS)
    assert len({result["sitting"] for result in starts}) == 1
    sitting = starts[0]["sitting"]

    # Each worker sends every WORKERS-th sequence number, shuffled: the highest must win everywhere.
    last_seq = 119
    saves = run_together(
        database_url,
        [
            ("save", {"sitting": sitting, "seqs": list(range(i, last_seq + 1, WORKERS))})
            for i in range(WORKERS)
        ],
    )
    assert all(set(result) == {"saved"} for result in saves), saves
    stored = query(
        database_url,
        "from quizzes.models import Response\n"
        f"rows = Response.objects.filter(sitting_id={sitting}).values_list('seq', 'answer')\n"
        "print(json.dumps(list(rows)))",
    )
    assert len(stored) == 5
    assert all(seq == last_seq and answer == {"value": last_seq % 2 == 0} for seq, answer in stored)

    # Saves race with finishes: whatever was accepted before the finish is in the score, nothing after.
    jobs = [
        ("save", {"sitting": sitting, "seqs": list(range(200 + i, 260, WORKERS))}) for i in range(WORKERS)
    ]
    jobs += [("save", {"sitting": sitting, "seqs": [1000 + i], "finish": True}) for i in range(2)]
    outcomes = run_together(database_url, jobs)
    assert all(set(result) <= {"saved", "SittingFinished"} for result in outcomes), outcomes
    result = query(
        database_url,
        "from quizzes.models import Sitting\n"
        f"s = Sitting.objects.get(pk={sitting})\n"
        "right = sum(r.answer == {'value': True} for r in s.responses.all())\n"
        "print(json.dumps({'state': s.state, 'score': str(s.score), 'right': right,"
        " 'count': Sitting.objects.count()}))",
    )
    assert result["state"] == "finished"
    assert float(result["score"]) == result["right"]
    assert result["count"] == 1
