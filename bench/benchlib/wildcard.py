"""Wildcard attach scale: every syscall-entry tracepoint (~360 here) counted
by probe, exit after 100 ms; wall time from exec to exit and peak RSS.

The 100 ms of tracing are the same for every tracer; the rest is attaching
and detaching (a perf-event tracepoint takes ~70 ms to detach here).
"""

from statistics import median

from benchlib.context import measure_rounds, tracer_condition
from benchlib.table import Table, mb, ratio, verdict

SCRIPT = "tracepoint:syscalls:sys_enter_* { @[probe] = count(); } interval:ms:100 { exit(); }"
WALL_TARGET = 1 / 50  # of bpftrace's wall time (issue 4)
RSS_TARGET = 1 / 5  # of bpftrace's peak RSS (issue 4)


def measure(ctx, tracer):
    run = ctx.run(tracer.command(SCRIPT), timeout=300)
    run.check(f"wildcard ({tracer.name})")
    return run


def run(ctx):
    tracers = ctx.tracers() if ctx.sizes.wildcard_bpftrace else [ctx.sonde]
    results = measure_rounds([tracer_condition(t, lambda t: measure(ctx, t)) for t in tracers],
                             ctx.sizes.wildcard_runs)
    table = Table(f"wildcard: {SCRIPT}\n  ({ctx.sizes.wildcard_runs} run(s))",
                  ["", "probes", "wall s (median)", "wall s (best)", "peak RSS MB (median)"])
    summary = {}
    for tracer in tracers:
        runs = results[tracer.name]
        if isinstance(runs, Exception):
            table.add_failure(tracer.name, runs)
            continue
        summary[tracer.name] = (median(r.wall_s for r in runs), median(r.max_rss_kb for r in runs))
        table.add(tracer.name, tracer.probes_attached(runs[0].stderr + runs[0].stdout), f"{summary[tracer.name][0]:.2f}",
                  f"{min(r.wall_s for r in runs):.2f}", mb(summary[tracer.name][1]))
    if "sonde" in summary and "bpftrace" in summary:
        wall_ratio = summary["sonde"][0] / summary["bpftrace"][0]
        rss_ratio = summary["sonde"][1] / summary["bpftrace"][1]
        table.add("sonde/bpftrace", "", ratio(wall_ratio), "", ratio(rss_ratio))
        table.notes.append(f"target: sonde/bpftrace <= {WALL_TARGET:.2f} in wall time "
                           f"({verdict(wall_ratio, WALL_TARGET)}), <= {RSS_TARGET:.2f} in RSS "
                           f"({verdict(rss_ratio, RSS_TARGET)})")
    elif ctx.bpftrace and not ctx.sizes.wildcard_bpftrace:
        table.notes.append("bpftrace skipped in --quick (about 25 s per run here)")
    return table
