"""Wildcard attach scale: every syscall-entry tracepoint (~360 here), then
every syscall tracepoint (~720), counted by probe, exit after 100 ms; wall
time from exec to exit and peak RSS.

The 100 ms of tracing are the same for every tracer; the rest is attaching
and detaching (a perf-event tracepoint takes ~70 ms to detach here).
"""

import os
from statistics import median

from benchlib.context import measure_rounds, tracer_condition
from benchlib.table import Table, mb, ratio, verdict

SCRIPTS = {
    "sys_enter_*": "tracepoint:syscalls:sys_enter_* { @[probe] = count(); } interval:ms:100 { exit(); }",
    "syscalls:*": "tracepoint:syscalls:* { @[probe] = count(); } interval:ms:100 { exit(); }",
}
WALL_TARGET = 1 / 50  # of bpftrace's wall time (issue 4)
RSS_TARGET = 1 / 5  # of bpftrace's peak RSS (issue 4)


def measure(ctx, tracer, script):
    run = ctx.run(tracer.command(script), timeout=600)
    run.check(f"wildcard ({tracer.name})")
    return run


def run(ctx):
    # bpftrace 0.17 refuses more than 512 programs or probes unless told;
    # sonde reads BPFTRACE_MAX_PROBES too, and needs no more programs.
    os.environ.setdefault("BPFTRACE_MAX_BPF_PROGS", "4096")
    os.environ.setdefault("BPFTRACE_MAX_PROBES", "4096")
    tracers = ctx.tracers() if ctx.sizes.wildcard_bpftrace else [ctx.sonde]
    table = Table("wildcard: tracepoint:syscalls:<pattern> { @[probe] = count(); } "
                  f"interval:ms:100 {{ exit(); }}\n  ({ctx.sizes.wildcard_runs} run(s))",
                  ["", "pattern", "probes", "wall s (median)", "wall s (best)",
                   "peak RSS MB (median)"])
    for pattern, script in SCRIPTS.items():
        conditions = [tracer_condition(t, lambda t, s=script: measure(ctx, t, s)) for t in tracers]
        results = measure_rounds(conditions, ctx.sizes.wildcard_runs)
        summary = {}
        for tracer in tracers:
            runs = results[tracer.name]
            if isinstance(runs, Exception):
                table.add_failure(tracer.name, runs)
                continue
            summary[tracer.name] = (median(r.wall_s for r in runs),
                                    median(r.max_rss_kb for r in runs))
            table.add(tracer.name, pattern,
                      tracer.probes_attached(runs[0].stderr + runs[0].stdout),
                      f"{summary[tracer.name][0]:.2f}", f"{min(r.wall_s for r in runs):.2f}",
                      mb(summary[tracer.name][1]))
        if "sonde" in summary and "bpftrace" in summary:
            wall_ratio = summary["sonde"][0] / summary["bpftrace"][0]
            rss_ratio = summary["sonde"][1] / summary["bpftrace"][1]
            table.add("sonde/bpftrace", pattern, "", ratio(wall_ratio), "", ratio(rss_ratio))
            table.notes.append(f"target for {pattern}: sonde/bpftrace <= {WALL_TARGET:.2f} in "
                               f"wall time ({verdict(wall_ratio, WALL_TARGET)}), <= "
                               f"{RSS_TARGET:.2f} in RSS ({verdict(rss_ratio, RSS_TARGET)})")
    if ctx.bpftrace and not ctx.sizes.wildcard_bpftrace:
        table.notes.append("bpftrace skipped in --quick (25-55 s per run here)")
    return table
