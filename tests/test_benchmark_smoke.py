"""The campaign load benchmark is not run by the suite; its pure parts are, so it cannot rot silently."""

import random

from benchmarks import campaign_load
from benchmarks.campaign_load import (
    Recorder,
    build_answer,
    find_lost,
    merge_records,
    percentile,
    steady_rate,
    summarize,
)


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    random.Random(3).shuffle(values)
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7], 99) == 7
    assert percentile([], 50) is None


def test_summarize_reports_milliseconds():
    summary = summarize([0.010, 0.020, 0.030, 0.040])
    assert summary == {"count": 4, "p50": 20.0, "p95": 40.0, "p99": 40.0, "max": 40.0}
    assert summarize([])["p95"] is None


def test_steady_rate_ignores_ramp_and_tail():
    # 1,000 completions evenly over 10 s (100/s), plus stragglers long after.
    ends = [i / 100 for i in range(1000)] + [60.0, 61.0]
    rate = steady_rate(ends)
    assert 95 < rate < 105
    assert steady_rate([1.0] * 5) is None


def test_find_lost_detects_missing_older_and_different_answers():
    confirmed = {
        (1, 10): (3, {"choice": 5}),  # stored as confirmed
        (1, 11): (2, {"pairs": {"3": "a", "4": "b"}}),  # stored with another key order
        (1, 12): (4, {"value": True}),  # stored is older: lost
        (2, 10): (1, {"text": "коррупция"}),  # missing: lost
        (2, 11): (2, {"choices": [1, 2]}),  # same seq, other answer: lost
        (2, 12): (1, {"value": "5"}),  # a newer unconfirmed save is stored: not lost
    }
    stored = {
        (1, 10): (3, {"choice": 5}),
        (1, 11): (2, {"pairs": {"4": "b", "3": "a"}}),
        (1, 12): (3, {"value": False}),
        (2, 11): (2, {"choices": [1]}),
        (2, 12): (2, {"value": "7"}),
    }
    assert find_lost(confirmed, stored) == [(1, 12), (2, 10), (2, 11)]
    assert find_lost({}, stored) == []


def test_build_answer_matches_each_question_type():
    rng = random.Random(1)
    options = [{"id": 5, "text": "а"}, {"id": 6, "text": "б"}, {"id": 7, "text": "в"}]
    assert build_answer({"type": "single", "options": options}, rng)["choice"] in {5, 6, 7}
    choices = build_answer({"type": "multiple", "options": options}, rng)["choices"]
    assert choices and set(choices) <= {5, 6, 7}
    assert isinstance(build_answer({"type": "truefalse"}, rng)["value"], bool)
    assert build_answer({"type": "short"}, rng)["text"] in campaign_load.SHORT_ANSWERS
    assert build_answer({"type": "numeric"}, rng)["value"].isdigit()
    matching = {
        "type": "matching",
        "left": [{"id": 3, "text": "x"}, {"id": 4, "text": "y"}],
        "right": [{"id": "9f", "text": "p"}, {"id": "0b", "text": "q"}],
    }
    pairs = build_answer(matching, rng)["pairs"]
    assert set(pairs) == {"3", "4"} and set(pairs.values()) <= {"9f", "0b"}
    assert build_answer({"type": "essay"}, rng)["text"]


def test_merge_records_keeps_the_highest_confirmed_seq():
    first, second = Recorder(), Recorder()
    first.confirm(1, 10, 2, {"choice": 5})
    first.confirm(1, 10, 1, {"choice": 6})  # an older confirmation never replaces a newer one
    second.confirm(1, 10, 3, {"choice": 7})
    first.latencies["save"].extend([0.1, 0.2])
    second.latencies["save"].append(0.3)
    first.errors[("save", 500)] += 1
    merged = merge_records([first, second])
    assert merged.confirmed[(1, 10)] == (3, {"choice": 7})
    assert sorted(merged.latencies["save"]) == [0.1, 0.2, 0.3]
    assert merged.errors[("save", 500)] == 1


def test_parse_args_throughput_mode_drops_thinking_time():
    args = campaign_load.parse_args(["--mode", "throughput", "--users", "10", "--db-pool", "8"])
    assert (args.think_min, args.think_max, args.ramp, args.timer_share) == (0, 0, 0, 0)
    assert args.settings == "benchmarks.settings"
    realistic = campaign_load.parse_args(["--think-min", "3", "--think-max", "9", "--changes", "4"])
    assert realistic.time_limit == 4  # (16 + 4) answers x 9 s + 60 s margin, in whole minutes


def test_parse_args_offers_a_bounded_wsgi_server():
    args = campaign_load.parse_args(["--server", "gunicorn", "--threads", "4", "--workers", "3"])
    assert (args.server, args.threads, args.workers) == ("gunicorn", 4, 3)
    assert campaign_load.parse_args([]).server == "uvicorn"


def test_the_guessing_strategy_answers_in_the_api_shapes():
    from benchmarks.guessing import guess

    options = [{"id": "b2", "text": "Б"}, {"id": "a1", "text": "А"}]
    assert guess({"type": "single", "options": options}) == {"choice": "a1"}
    assert guess({"type": "multiple", "options": options}) == {"choices": ["a1"]}
    assert guess({"type": "truefalse"}) == {"value": True}
    matching = {
        "type": "matching",
        "left": [{"id": "l1"}, {"id": "l2"}],
        "right": [{"id": "r9"}, {"id": "r3"}],
    }
    assert guess(matching) == {"pairs": {"l1": "r9", "l2": "r9"}}
    assert guess({"type": "short"}) is None


def test_the_access_log_gives_the_time_inside_the_worker_per_kind(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(
        "POST /api/v1/tests/campaigns/7/sittings 200 30000\n"
        "POST /api/v1/tests/campaigns/7/sittings 200 10000\n"
        "POST /api/v1/tests/campaigns/7/sittings 404 1000\n"  # refused: not a start
        "PUT /api/v1/tests/sittings/3/answers/5 200 8000\n"
        "GET /healthz/ 200 2000\n"
        "GET /tests/campaigns/7/ 200 90000\n"  # the intro page: none of the kinds
    )
    times = campaign_load.server_times(log)
    assert times["start"] == {"count": 2, "p50": 10.0, "p95": 30.0, "p99": 30.0, "max": 30.0}
    assert times["save"]["count"] == 1 and times["save"]["max"] == 8.0
    assert times["healthz"]["count"] == 1 and times["healthz"]["max"] == 2.0


def test_the_cpu_trace_counts_a_window_per_component_and_request():
    from benchmarks.cpu_trace import CpuTrace

    trace = CpuTrace(server_groups=[])
    ticks = trace.hz  # one second of CPU
    zero = dict.fromkeys(("server", "postgres", "redis", "client", "machine_busy", "machine_idle"), 0)
    # the burst, on two cores for a second: the server 1.25 cores, PostgreSQL 0.25, the kernel 0.25 more
    # (busy 1.75), idle 0.25; then a quiet second
    burst = {**zero, "server": 5 * ticks // 4, "postgres": ticks // 4, "machine_busy": 7 * ticks // 4}
    burst["machine_idle"] = ticks // 4
    quiet = {**burst, "client": ticks, "machine_busy": burst["machine_busy"] + ticks}
    quiet["machine_idle"] += ticks
    trace.samples = [(100.0, zero), (101.0, burst), (102.0, quiet)]
    window = trace.window(100.0, 101.0, requests=1000)
    assert window["seconds"] == 1.0
    cores = {"server": 1.25, "postgres": 0.25, "redis": 0.0, "client": 0.0}
    assert window["cores"] == cores | {"machine_busy": 1.75, "machine_idle": 0.25, "unattributed": 0.25}
    assert window["cpu_ms_per_request"]["server"] == 1.25
    assert "machine_idle" not in window["cpu_ms_per_request"]
    assert window["cpu_ms_per_request_total"] == 1.5  # the processes'; the kernel's is unattributed
    assert trace.window(100.5, 101.0, 10)["seconds"] == 1.0  # from the sample before the window
    assert trace.window(99.0, 101.0, 10) is None  # the trace began after the window did
    assert trace.window(100.0, 103.0, 10) is None
    assert trace.window(100.0, 101.0, 0) is None


def test_the_cpu_trace_finds_this_process_as_the_client():
    from benchmarks.cpu_trace import CpuTrace

    trace = CpuTrace(server_groups=[])
    trace.sample()
    assert trace.samples[-1][1]["client"] > 0  # this test process has used some CPU by now


def test_the_database_cpu_between_two_readings_counts_new_backends_whole():
    from benchmarks.profile_start import backend_cpu_between

    before = {101: 1.0, 102: 2.0}
    after = {101: 1.5, 103: 0.25}  # 102 has gone (its last share is unknown), 103 is new
    assert backend_cpu_between(before, after) == 0.75
    assert backend_cpu_between({}, {}) == 0
