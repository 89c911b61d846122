"""User stacks per event: what unwinding costs in the kernel. `@[ustack] =
count()` (frame pointers, bpf_get_stackid) against `@[dw_ustack] = count()`
(sonde's DWARF unwinder: a mapping lookup, a binary search of the file's
rows and two user reads per frame) on each getppid(2) of events_timed, whose
stack (libc's getppid, the loop, main, libc's start) has no frame pointers.

The figure is the probe's own CPU time: the programs' run time per event
with the kernel's BPF statistics on (one more round of the loop), as in the
events benchmark.
"""

from benchlib.build import build_events
from benchlib.context import Condition, measure_rounds, tracer_condition
from benchlib.events import Case, Measurements, summarize
from benchlib.table import Table

PROBE = "tracepoint:syscalls:sys_enter_getppid"
CASES = [
    Case("ustack", "getppid", f"{PROBE} {{ @[ustack] = count(); }}",
         f"{PROBE} {{ @[ustack] = count(); }}", libbpf_object=""),
    Case("dw_ustack", "getppid",
         f"config = {{ unstable_dw_ustack = enable }} {PROBE} {{ @[dw_ustack] = count(); }}",
         "", libbpf_object=""),
]


def run(ctx):
    built = build_events(ctx.scratch("stacks_build"))
    sizes = ctx.sizes
    table = Table(f"stacks: user stacks on each getppid(2) ({sizes.events_sessions} session(s) x "
                  f"{sizes.events_rounds} round(s))\n"
                  "  ns/op: the loop's getppid; BPF ns/event: the probe's run time per event, "
                  "statistics on",
                  ["", "ns/op (best)", "overhead ns/op", "BPF ns/event"])
    base = None
    for case in CASES:
        m = Measurements(ctx, case, built)
        conditions = [Condition("no tracing", m.untraced)] if base is None else []
        tracers = ctx.tracers() if case.bpftrace_017 else [ctx.sonde]
        conditions += [tracer_condition(tracer, m.traced) for tracer in tracers]
        for name, sessions in measure_rounds(conditions, sizes.events_sessions).items():
            if isinstance(sessions, Exception):
                table.add_failure(f"{case.name}: {name}", sessions)
                continue
            best, _, bpf = summarize(sessions)
            if name == "no tracing":
                base = best
                table.add("no tracing", f"{best:.1f}", "", "")
                continue
            table.add(f"{case.name}: {name}", f"{best:.1f}", f"{best - base:.1f}", f"{bpf:.1f}")
    for case in CASES:
        table.notes.append(f"{case.name}: {case.script}")
    return table
