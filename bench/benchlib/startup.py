"""Startup: `begin { exit(); }` from exec to exit, wall time and peak RSS.

Parsing, compiling, loading one program, running it, exiting: the floor every
one-liner pays.
"""

from statistics import median

from benchlib.context import measure_rounds, tracer_condition
from benchlib.table import Table, mb, ms, ratio, verdict

TARGET = 0.20  # of bpftrace's wall time and of its peak RSS (issue 3)


def measure(ctx, tracer):
    run = ctx.run(tracer.command(f"{tracer.begin_probe} {{ exit(); }}"), timeout=60)
    run.check(f"startup ({tracer.name})")
    return run


def run(ctx):
    conditions = [tracer_condition(t, lambda t: measure(ctx, t)) for t in ctx.tracers()]
    measure_rounds(conditions, 1)  # warms the page cache; not counted
    results = measure_rounds(conditions, ctx.sizes.startup_runs)
    table = Table(f"startup: begin {{ exit(); }} ({ctx.sizes.startup_runs} runs)",
                  ["", "wall ms (median)", "wall ms (best)", "peak RSS MB (median)"])
    summary = {}
    for name, runs in results.items():
        if isinstance(runs, Exception):
            table.add_failure(name, runs)
            continue
        wall = median(run.wall_s for run in runs)
        rss = median(run.max_rss_kb for run in runs)
        summary[name] = (wall, rss)
        table.add(name, ms(wall), ms(min(run.wall_s for run in runs)), mb(rss))
    if "sonde" in summary and "bpftrace" in summary:
        wall_ratio = summary["sonde"][0] / summary["bpftrace"][0]
        rss_ratio = summary["sonde"][1] / summary["bpftrace"][1]
        table.add("sonde/bpftrace", ratio(wall_ratio), "", ratio(rss_ratio))
        table.notes.append(f"target: sonde/bpftrace <= {TARGET:.2f} in wall time "
                           f"({verdict(wall_ratio, TARGET)}) and in RSS "
                           f"({verdict(rss_ratio, TARGET)})")
    return table
