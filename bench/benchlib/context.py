"""What every benchmark gets: the mode's sizes, the tracers, the built helpers."""

import os
from dataclasses import dataclass
from typing import Callable

from benchlib.procs import BenchError, run_measured


@dataclass(frozen=True)
class Sizes:
    startup_runs: int
    loop_calls: int  # getppid calls per round
    loop_rounds: int  # rounds per tracer session
    per_event_sessions: int  # sessions per tracer, interleaved
    printf_events: int
    printf_runs: int
    wildcard_runs: int
    wildcard_bpftrace: bool  # bpftrace needs ~25 s per run here
    metrics_scrapes: tuple  # scrapes of the 10,000- and the 100,000-key map
    scale_stores: tuple  # map stores in one probe, per compile case
    scale_probes: tuple  # interval probes, per compile case
    scale_map_keys: int  # keys of the printed map
    events_calls: dict  # operations per round of the events benchmark, by loop mode
    events_rounds: int  # timed rounds per session, then one with BPF statistics on
    events_sessions: int  # sessions per condition, interleaved


QUICK = Sizes(startup_runs=3, loop_calls=200_000, loop_rounds=3, per_event_sessions=1,
              printf_events=100_000, printf_runs=1, wildcard_runs=1, wildcard_bpftrace=False,
              metrics_scrapes=(5, 2), scale_stores=(2_000,), scale_probes=(200,),
              scale_map_keys=100_000,
              events_calls={"getppid": 50_000, "openat": 20_000, "spin": 20_000_000},
              events_rounds=1, events_sessions=1)
FULL = Sizes(startup_runs=10, loop_calls=1_000_000, loop_rounds=5, per_event_sessions=3,
             printf_events=1_000_000, printf_runs=3, wildcard_runs=3, wildcard_bpftrace=True,
             metrics_scrapes=(20, 10), scale_stores=(2_000, 8_000), scale_probes=(500, 2_000),
             scale_map_keys=1_000_000,
             events_calls={"getppid": 1_000_000, "openat": 200_000, "spin": 500_000_000},
             events_rounds=3, events_sessions=3)


@dataclass
class Context:
    sizes: Sizes
    sonde: object  # tracers.Tracer
    bpftrace: object  # tracers.Tracer or None
    loop: str  # bench/programs/getppid_timed, built
    measure: str  # bench/programs/measure, built
    libbpf_count: tuple  # (loader, object), built from bench/libbpf_count
    workdir: str  # scratch files, removed at exit

    def tracers(self):
        return [self.sonde] + ([self.bpftrace] if self.bpftrace else [])

    def scratch(self, name):
        return os.path.join(self.workdir, name)

    def run(self, argv, timeout, stdout=None):
        """argv run to completion and measured: a procs.Run."""
        return run_measured(self.measure, argv, timeout, stdout)


@dataclass(frozen=True)
class Condition:
    """One row of a comparison: a name and how to take one measurement."""
    name: str
    measure: Callable[[], object]
    required: bool = True  # a failure fails the benchmark; else it is shown as failed


def tracer_condition(tracer, measure):
    return Condition(tracer.name, lambda: measure(tracer), tracer.required)


def measure_rounds(conditions, repeats):
    """Takes repeats measurements of each condition, round robin so that a
    change in the machine's load spreads over all of them. Returns, by name,
    the list of measurements, or the BenchError of a condition that is not
    required and failed (it is not tried again)."""
    results = {condition.name: [] for condition in conditions}
    for _ in range(repeats):
        for condition in conditions:
            if isinstance(results[condition.name], BenchError):
                continue
            try:
                results[condition.name].append(condition.measure())
            except BenchError as error:
                if condition.required:
                    raise
                results[condition.name] = error
    return results
