"""Per-event cost of typical programs: a latency hist() with a start map, a
string-keyed count, kernel stacks under profile, lhist(), stats() and a
printf stream, each against the same program written by hand for libbpf
(bench/libbpf_events).

Two figures per condition. The loop's own time per operation (best round,
statistics off), less the untraced loop's, is the overhead a traced program
sees. Then one more round runs with the kernel's BPF statistics on
(BPF_ENABLE_STATS): the programs' run time divided by the events is the
probe's own CPU time, the only fair figure for a sampling probe (profile
fires a few hundred times a round; its slowdown of a busy loop is noise).
"""

import os
import re
from dataclasses import dataclass
from statistics import median

from benchlib.build import build_events
from benchlib.context import Condition, measure_rounds, tracer_condition
from benchlib.procs import Background, BenchError
from benchlib.table import Table, ratio, verdict

TARGET = 1.05  # of the hand-written program's cost (issue 17)
LOADER_LOST = re.compile(r"WARNING: (\d+) events lost")  # the printf loader's report

LATENCY_HIST = ("tracepoint:syscalls:sys_enter_getppid {{ @start[tid] = nsecs; }} "
                "tracepoint:syscalls:sys_exit_getppid {{ @ns = hist(nsecs - @start[tid]); "
                "{delete}; }}")


@dataclass(frozen=True)
class Case:
    name: str
    mode: str  # events_timed's loop
    script: str  # sonde's, bpftrace 0.26's
    bpftrace_017: str  # the same in bpftrace 0.17's syntax
    libbpf_object: str  # NAME.bpf.o of bench/libbpf_events
    share: int = 1  # runs 1/share of the mode's operations a round

    def script_for(self, tracer):
        return self.bpftrace_017 if tracer.name.startswith("bpftrace") else self.script


def same(script):
    return script, script


CASES = [
    Case("hist latency", "getppid", LATENCY_HIST.format(delete="delete(@start, tid)"),
         LATENCY_HIST.format(delete="delete(@start[tid])"), "latency_hist"),
    Case("str key count", "openat",
         "tracepoint:syscalls:sys_enter_openat { @[str(args.filename)] = count(); }",
         "tracepoint:syscalls:sys_enter_openat { @[str(args->filename)] = count(); }",
         "open_count"),
    Case("kstack profile", "spin", *same("profile:hz:999 { @[kstack] = count(); }"),
         "kstack_count"),
    Case("lhist", "getppid",
         *same("tracepoint:syscalls:sys_enter_getppid { @ = lhist(nsecs % 100, 0, 100, 10); }"),
         "lhist"),
    Case("stats", "getppid",
         *same("tracepoint:syscalls:sys_enter_getppid { @ = stats(nsecs % 1000); }"), "stats"),
    Case("printf", "getppid",
         *same('tracepoint:syscalls:sys_enter_getppid { printf("%d %s\\n", pid, comm); }'),
         "printf", share=5),  # bpftrace 0.17 takes over 20 us an event
]


@dataclass
class Session:
    rounds_ns: list  # ns per operation, one per timed round
    bpf_ns: float  # the programs' run time per event, statistics on; None untraced
    lost: int = 0  # events the ring buffer refused (printf), as the tracer reports them


class Measurements:
    def __init__(self, ctx, case, built):
        self.ctx = ctx
        self.case = case
        self.loop, self.loader, self.objects = built
        self.calls = ctx.sizes.events_calls[case.mode] // case.share
        self.rounds = ctx.sizes.events_rounds
        self.result_path = ctx.scratch("events_rounds")

    def loop_command(self, tracer_pid=None):
        argv = [self.loop, self.case.mode, str(self.calls), str(self.rounds), self.result_path]
        return argv + ([str(tracer_pid)] if tracer_pid else [])

    def session(self, what, traced, lost=0):
        with open(self.result_path) as result:
            lines = [line.split() for line in result]
        rounds_ns = [(int(end) - int(start)) / self.calls for start, end in lines[:self.rounds]]
        stats = [fields for fields in lines[self.rounds:] if fields[0] == "bpf"]
        if not traced:
            return Session(rounds_ns, None)
        if not stats:
            raise BenchError(f"{what}: found no BPF program of the tracer")
        run_time_ns, runs = int(stats[0][1]), int(stats[0][2])
        # A syscall loop's probe runs once per call at least (other processes
        # add theirs); a probe that missed events would look cheap.
        if runs < (self.calls if self.case.mode != "spin" else 1):
            raise BenchError(f"{what}: the probe ran {runs} times in {self.calls:,} operations")
        return Session(rounds_ns, run_time_ns / runs, lost)

    def untraced(self):
        what = f"events {self.case.name} (no tracing)"
        self.ctx.run(self.loop_command(), timeout=300).check(what)
        return self.session(what, traced=False)

    def libbpf(self):
        what = f"events {self.case.name} (libbpf)"
        program = os.path.join(self.objects, f"{self.case.libbpf_object}.bpf.o")
        with open(os.devnull, "w") as output, \
                Background([self.loader, program], ready="Attached", stdout=output) as loader:
            self.ctx.run(self.loop_command(loader.proc.pid), timeout=300).check(what)
            status, _, stderr = loader.stop()
        if status != 0:
            raise BenchError(f"{what}: exit status {status}: {stderr.strip()}")
        lost = sum(int(m.group(1)) for m in LOADER_LOST.finditer(stderr))
        return self.session(what, traced=True, lost=lost)

    def traced(self, tracer):
        what = f"events {self.case.name} ({tracer.name})"
        with open(os.devnull, "w") as output:
            run = self.ctx.run(tracer.command(self.case.script_for(tracer),
                                              child=self.loop_command()),
                               timeout=300, stdout=output)
        run.check(what)
        return self.session(what, traced=True, lost=tracer.events_lost(run.stderr))


def summarize(sessions):
    rounds = [ns for session in sessions for ns in session.rounds_ns]
    bpf = [session.bpf_ns for session in sessions if session.bpf_ns is not None]
    return min(rounds), median(rounds), (median(bpf) if bpf else None)


def add_case(table, case, results):
    summary = {name: summarize(sessions) for name, sessions in results.items()
               if not isinstance(sessions, Exception)}
    base = summary["no tracing"][0]
    hand_overhead = summary["libbpf"][0] - base
    hand_bpf = summary["libbpf"][2]
    # A sampling probe's slowdown of the loop is noise: compare its BPF time.
    by_bpf = case.mode == "spin"
    for name, sessions in results.items():
        label = f"{case.name}: {name}"
        if isinstance(sessions, Exception):
            table.add_failure(label, sessions)
            continue
        best, middle, bpf = summary[name]
        lost = [session.lost for session in sessions]
        if any(lost):
            table.notes.append(f"{label}: events lost per session: "
                               f"{', '.join(f'{n:,}' for n in lost)}")
        if name == "no tracing":
            table.add(label, f"{best:.1f}", f"{middle:.1f}", "", "", "", "")
            continue
        overhead = best - base
        overhead_ratio = overhead / hand_overhead if hand_overhead > 0 and not by_bpf else None
        bpf_ratio = bpf / hand_bpf if hand_bpf else None
        table.add(label, f"{best:.1f}", f"{middle:.1f}", f"{overhead:.1f}",
                  ratio(overhead_ratio), f"{bpf:.1f}", ratio(bpf_ratio))
        if name == "sonde":
            judged = bpf_ratio if by_bpf else overhead_ratio
            table.notes.append(f"{case.name}: sonde <= {TARGET:.2f} x libbpf "
                               f"({'BPF time' if by_bpf else 'overhead'}): "
                               f"{verdict(judged, TARGET)}")


def run(ctx):
    built = build_events(ctx.scratch("events_build"))
    sizes = ctx.sizes
    table = Table(f"events: per-event cost of typical programs ({sizes.events_sessions} "
                  f"session(s) x {sizes.events_rounds} round(s) of the loop below)\n"
                  "  ns/op: the loop's operation; overhead: less the untraced loop's best; "
                  "BPF ns/event: the probes' run time per event, one more round, statistics on",
                  ["", "ns/op (best)", "ns/op (median)", "overhead ns/op", "vs libbpf",
                   "BPF ns/event", "vs libbpf"])
    for case in CASES:
        m = Measurements(ctx, case, built)
        conditions = [Condition("no tracing", m.untraced), Condition("libbpf", m.libbpf)]
        conditions += [tracer_condition(tracer, m.traced) for tracer in ctx.tracers()]
        add_case(table, case, measure_rounds(conditions, sizes.events_sessions))
    for case in CASES:
        calls = sizes.events_calls[case.mode] // case.share
        table.notes.append(f"{case.name} ({case.mode} x {calls:,}): {case.script}")
    return table
