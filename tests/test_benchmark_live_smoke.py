"""The live-event benchmark is not run by the suite; its pure parts are, so it cannot rot silently."""

import pickle
import resource

import pytest

from benchmarks import live_events
from benchmarks.live_events import (
    ClientRecord,
    busy_cpu_seconds,
    delivery,
    expected_versions,
    merge_client_records,
    missed_messages,
    pair_sends_with_versions,
    per_connection_kib,
    raise_open_files_limit,
    rss_kib,
    split_clients,
)


def test_sends_are_paired_with_the_versions_in_order():
    timeline = [
        ("send", 10.0),
        ("question", 7),
        ("send", 11.0),
        ("send", 12.0),  # sent before the answer to the previous one came back
        ("question", 8),
        ("error", "forbidden"),
        ("send", 13.0),
        ("question", 9),
    ]
    sent_at, errors = pair_sends_with_versions(timeline)
    assert sent_at == {7: 10.0, 8: 11.0, 9: 13.0}
    assert errors == 1


def test_messages_nobody_here_sent_are_not_timed():
    sent_at, errors = pair_sends_with_versions([("question", 3), ("send", 5.0), ("question", 4)])
    assert sent_at == {4: 5.0}
    assert errors == 0


def test_expected_versions_count_every_accepted_action_answered_or_not():
    timeline = [("start", 4), ("send", 1.0), ("question", 5), ("send", 2.0), ("error", "x"), ("send", 3.0)]
    assert expected_versions(timeline) == {5, 6}  # the third action was never answered in time
    assert expected_versions([("send", 1.0)]) == set()
    assert missed_messages({5, 6}, [{5: 1.1, 6: 3.2}, {5: 1.2}, {}]) == 3


def test_delivery_counts_latency_and_misses_per_client():
    sent_at = {1: 100.0, 2: 101.0, 3: 102.0}
    clients = [
        {1: 100.05, 2: 101.10, 3: 102.20},
        {1: 100.30, 3: 102.40},  # missed version 2
        {2: 101.5, 99: 150.0},  # missed 1 and 3; version 99 was not sent by the moderator
    ]
    latencies, missed, clients_missing = delivery(sent_at, clients)
    assert missed == 3
    assert clients_missing == 2
    assert sorted(round(x, 2) for x in latencies) == [0.05, 0.1, 0.2, 0.3, 0.4, 0.5]


def test_no_clients_means_nothing_missed():
    assert delivery({1: 1.0}, []) == ([], 0, 0)


def test_rss_is_read_from_proc_status():
    text = "Name:\tdaphne\nVmPeak:\t  400000 kB\nVmRSS:\t  123456 kB\nThreads:\t3\n"
    assert rss_kib(text) == 123456
    assert rss_kib("Name:\tzombie\nState:\tZ\n") == 0
    with open("/proc/self/status") as status:
        assert rss_kib(status.read()) > 0


def test_busy_cpu_leaves_out_idle_and_iowait():
    stat = "cpu  100 5 50 1000 20 3 2 0 0 0\ncpu0 50 2 25 500 10 1 1 0 0 0\n"
    assert busy_cpu_seconds(stat, ticks_per_second=100) == 1.6
    with open("/proc/stat") as real:
        assert busy_cpu_seconds(real.read()) > 0


def test_memory_per_connection():
    assert per_connection_kib(300_000, 350_000, 1000) == 50.0
    assert per_connection_kib(300_000, 300_100, 3) == 33.3
    assert per_connection_kib(1, 2, 0) is None


def test_clients_are_spread_over_ports_and_processes():
    sessions = [f"s{i}" for i in range(7)]
    slices = split_clients(sessions, [8000, 8001], 2)
    assert slices == [
        [("s0", 8000), ("s2", 8000), ("s4", 8000), ("s6", 8000)],
        [("s1", 8001), ("s3", 8001), ("s5", 8001)],
    ]
    assert split_clients(sessions, [8000], 1) == [[(s, 8000) for s in sessions]]
    ports = [port for part in split_clients(sessions, [1, 2, 3], 2) for _key, port in part]
    assert sorted(ports) == [1, 1, 1, 2, 2, 3, 3]


def test_open_files_limit_is_raised_within_the_hard_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        assert raise_open_files_limit(1) == soft  # never lowered
        ceiling = hard if hard != resource.RLIM_INFINITY else soft + 10
        assert raise_open_files_limit(ceiling + 10**6) <= ceiling
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_client_records_merge_and_pickle():
    first = ClientRecord(attempted=2, connected=1, connect_seconds=[0.1], arrivals=[{1: 1.0}])
    first.failures["ClientConnectorError"] += 1
    second = ClientRecord(attempted=3, connected=3, connect_seconds=[0.2, 0.3, 0.4], dropped=1)
    second.arrivals = [{1: 1.1}, {}, {1: 1.2}]
    second.other_messages["attendance"] += 2
    merged = merge_client_records([pickle.loads(pickle.dumps(r)) for r in (first, second)])
    assert (merged.attempted, merged.connected, merged.dropped) == (5, 4, 1)
    assert len(merged.arrivals) == 4 and merged.connect_seconds == [0.1, 0.2, 0.3, 0.4]
    assert merged.failures == {"ClientConnectorError": 1}
    assert merged.other_messages == {"attendance": 2}


def test_arguments_select_daphne_and_redis_db_6():
    args = live_events.parse_args(["--users", "10"])
    assert args.users == 10 and args.workers == 2 and args.server == "daphne"
    assert not args.keep_redis  # the run empties its own Redis database first
    assert args.redis_url.endswith("/6") or "/6?" in args.redis_url
    assert live_events.parse_args(["--db-pool", "5"]).settings == "benchmarks.settings"


@pytest.mark.parametrize("name", ["populate", "server_rss_kib"])
def test_the_run_reuses_the_campaign_benchmark(name):
    from benchmarks.campaign_load import Run

    assert issubclass(live_events.LiveRun, Run)
    assert callable(getattr(live_events.LiveRun, name))
