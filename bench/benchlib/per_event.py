"""Per-event overhead: what `@[comm] = count()` on sys_enter_getppid adds to
each getppid(2) call, against the same program written by hand for libbpf.

The loop times its own rounds, so tracer startup and exit do not count. Each
session's count is checked against the calls made: a probe that missed
events would look cheap.
"""

from statistics import median

from benchlib import loop
from benchlib.context import Condition, measure_rounds, tracer_condition
from benchlib.procs import Background, BenchError
from benchlib.table import Table, ratio, verdict
from benchlib.tracers import map_count

SCRIPT = "tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }"
TARGET = 1.05  # of the libbpf program's overhead (issue 3)


def check_count(what, count, expected):
    if count != expected:
        raise BenchError(f"{what}: counted {count} getppid calls of {expected}")


class Measurements:
    def __init__(self, ctx):
        self.ctx = ctx
        self.calls = ctx.sizes.loop_calls
        self.rounds = ctx.sizes.loop_rounds
        self.result_path = ctx.scratch("per_event_rounds")

    def loop_command(self):
        return loop.command(self.ctx, self.calls, self.rounds, self.result_path)

    def ns_per_call(self):
        return loop.ns_per_call(loop.read_rounds(self.result_path), self.calls)

    def untraced(self):
        self.ctx.run(self.loop_command(), timeout=120).check("per-event (no tracing)")
        return self.ns_per_call()

    def libbpf(self):
        loader, bpf_object = self.ctx.libbpf_count
        with Background([loader, bpf_object], ready="Attached") as program:
            self.ctx.run(self.loop_command(), timeout=120).check("per-event (libbpf)")
            status, stdout, stderr = program.stop()
        if status != 0:
            raise BenchError(f"per-event (libbpf): exit status {status}: {stderr.strip()}")
        check_count("per-event (libbpf)", map_count(stdout, loop.COMM), self.calls * self.rounds)
        return self.ns_per_call()

    def traced(self, tracer):
        run = self.ctx.run(tracer.command(SCRIPT, child=self.loop_command()), timeout=120)
        run.check(f"per-event ({tracer.name})")
        check_count(f"per-event ({tracer.name})", map_count(run.stdout, loop.COMM),
                    self.calls * self.rounds)
        return self.ns_per_call()


def run(ctx):
    m = Measurements(ctx)
    conditions = [Condition("no tracing", m.untraced), Condition("libbpf", m.libbpf)]
    conditions += [tracer_condition(tracer, m.traced) for tracer in ctx.tracers()]
    results = measure_rounds(conditions, ctx.sizes.per_event_sessions)

    sessions = ctx.sizes.per_event_sessions
    table = Table(f"per-event: {SCRIPT}\n  ({sessions} session(s) x {m.rounds} rounds x "
                  f"{m.calls:,} getppid calls; best and median round)",
                  ["", "ns/call (best)", "ns/call (median)", "overhead ns/event",
                   "overhead vs libbpf"])
    rounds_ns = {name: [ns for session in sessions_ns for ns in session]
                 for name, sessions_ns in results.items()
                 if not isinstance(sessions_ns, Exception)}
    base = min(rounds_ns["no tracing"])
    libbpf_overhead = min(rounds_ns["libbpf"]) - base
    for name, sessions_ns in results.items():
        if isinstance(sessions_ns, Exception):
            table.add_failure(name, sessions_ns)
            continue
        best = min(rounds_ns[name])
        cells = [name, f"{best:.1f}", f"{median(rounds_ns[name]):.1f}"]
        if name == "no tracing":
            table.add(*cells, "", "")
            continue
        relative = (best - base) / libbpf_overhead if libbpf_overhead > 0 else None
        table.add(*cells, f"{best - base:.1f}", ratio(relative))
        if name == "sonde":
            table.notes.append(f"target: sonde's overhead <= {TARGET:.2f} x libbpf's "
                               f"({verdict(relative, TARGET)})")
    return table
