"""The fault schedule of benchmarks/faults.py (the run itself needs servers: docs/reliability.md)."""

import pytest

from benchmarks.faults import FAULT_NAMES, parse_schedule


def test_schedule_is_parsed_and_sorted_by_time():
    assert parse_schedule("drop-db@55, kill-worker@15,restart-redis@35") == [
        ("kill-worker", 15.0),
        ("restart-redis", 35.0),
        ("drop-db", 55.0),
    ]
    assert parse_schedule("") == []
    assert set(FAULT_NAMES) == {"kill-worker", "restart-redis", "drop-db"}


def test_an_unknown_fault_is_refused():
    with pytest.raises(ValueError, match="unknown fault"):
        parse_schedule("unplug-the-server@10")
