"""Where the machine's CPU goes during a burst: the server, PostgreSQL, Redis and the load generator.

A thread samples ``/proc`` every ``interval`` seconds and keeps, per component, the CPU ticks (user +
system) of its processes. :meth:`CpuTrace.window` then gives the CPU each component used between two
moments: for a burst, the cores it kept busy and the CPU milliseconds per request. The load generator
runs on the same two cores as the server, so its share is part of the picture.

Beside them the machine as a whole (``/proc/stat``): its busy and idle time, and what is busy but in
none of the components (``unattributed``: mostly the kernel's work for the network, which no process
is charged for).

Components: ``server`` (the processes of the server's process groups), ``postgres`` and ``redis``
(by process name; the machine's own daemons), ``client`` (this process and its children: the load
generator). A process that ends inside a window takes its ticks with it; bursts end before the
server stops.
"""

import os
import threading
import time
from pathlib import Path

COMPONENTS = ("server", "postgres", "redis", "client")
MACHINE = ("machine_busy", "machine_idle")  # all cores, from /proc/stat: the kernel's network work included


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # the unit of /proc's CPU times, per second


def processes():
    """``(pid, ppid, pgrp, name, ticks)`` of every process still readable, ticks being its CPU so far
    (user + system, in :data:`CLOCK_TICKS`)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        yield int(stat.parent.name), int(fields[1]), int(fields[2]), name, int(fields[11]) + int(fields[12])


def _machine():
    """Busy and idle ticks of all cores (``/proc/stat``; iowait counts as idle, steal as busy)."""
    user, nice, system, idle, iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split()[1:9]
    )
    return {"machine_busy": user + nice + system + irq + softirq + steal, "machine_idle": idle + iowait}


class CpuTrace:
    def __init__(self, server_groups, interval=0.1):
        self.server_groups = set(server_groups)
        self.interval = interval
        self.me = os.getpid()
        self.samples = []  # (time, {component: ticks})
        self.hz = CLOCK_TICKS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cpu-trace", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()

    def sample(self):
        ticks = dict.fromkeys(COMPONENTS, 0) | _machine()
        for pid, ppid, pgrp, name, used in processes():
            if pgrp in self.server_groups:
                ticks["server"] += used
            elif name == "postgres":
                ticks["postgres"] += used
            elif name.startswith("redis-server"):
                ticks["redis"] += used
            elif self.me in (pid, ppid):
                ticks["client"] += used
        self.samples.append((time.time(), ticks))

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def window(self, began, ended, requests):
        """Per component between the two wall-clock moments: the cores used on average and the CPU
        milliseconds per request; None when the trace does not cover the window."""
        before = [sample for sample in self.samples if sample[0] <= began]
        after = [sample for sample in self.samples if sample[0] >= ended]
        if not before or not after or requests <= 0:
            return None
        (t0, first), (t1, last) = before[-1], after[0]
        seconds = {name: (last[name] - first[name]) / self.hz for name in COMPONENTS + MACHINE}
        processes = sum(seconds[name] for name in COMPONENTS)
        seconds["unattributed"] = seconds["machine_busy"] - processes  # the kernel, other processes
        return {
            "seconds": round(t1 - t0, 2),
            "cores": {name: round(used / (t1 - t0), 2) for name, used in seconds.items()},
            "cpu_ms_per_request": {
                name: round(1000 * used / requests, 2)
                for name, used in seconds.items()
                if name != "machine_idle"
            },
            "cpu_ms_per_request_total": round(1000 * processes / requests, 2),
        }
