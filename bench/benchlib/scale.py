"""Scale: big scripts and big maps.

compile: generated scripts, from exec to exit — one begin probe of N map
stores (one long basic block), and P interval probes each with a map of its
own (P programs, P maps), attached with --dry-run and detached at once.

map print: a map of one key per traced getppid(2) call (`@[nsecs] =
count()`), printed at exit, and the same with `print(@m, 10)` in an end
probe instead; wall time from exec to exit (the traced loop included, the
same for every tracer) and peak RSS.
"""

import os
from statistics import median

from benchlib.context import measure_rounds, tracer_condition
from benchlib.table import Table, mb

COMPILE_TARGET_S = 2.0  # issue 17: compile and load in <= 2 s


def stores_script(tracer, count):
    stores = " ".join(f"@m[{i}] = {i};" for i in range(count))
    return f"{tracer.begin_probe} {{ {stores} exit(); }}"


def interval_script(count):
    return "\n".join(f"interval:s:{1000 + i} {{ @a{i} = count(); }}" for i in range(count))


def map_script(top):
    body = "tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @m[nsecs] = count(); }"
    return body + (" END { print(@m, 10); clear(@m); }" if top else "")


def measured(ctx, tracer, argv, what, timeout, stdout=None):
    run = ctx.run(argv, timeout=timeout, stdout=stdout)
    run.check(f"{what} ({tracer.name})")
    return run


def script_file(ctx, tracer, name, text, *options):
    """The command running text from a file (it is too long for one argument)."""
    path = ctx.scratch(f"{name}-{tracer.name}.bt")
    with open(path, "w") as f:
        f.write(text)
    return [tracer.binary, *tracer.options, *options, path]


def compile_rows(ctx, tracers, table):
    cases = [(f"1 probe, {n} map stores",
              lambda t, n=n: script_file(ctx, t, f"stores{n}", stores_script(t, n)))
             for n in ctx.sizes.scale_stores]
    cases += [(f"{n} interval probes",
               lambda t, n=n: script_file(ctx, t, f"probes{n}", interval_script(n), "--dry-run"))
              for n in ctx.sizes.scale_probes]
    # One program per probe: past the default limits of both tracers.
    limit = str(max(ctx.sizes.scale_probes, default=0) + 16)
    for variable in ("BPFTRACE_MAX_BPF_PROGS", "BPFTRACE_MAX_PROBES"):
        os.environ[variable] = limit
    for label, command in cases:
        conditions = [tracer_condition(t, lambda t, c=command, l=label: measured(
            ctx, t, c(t), l, timeout=300)) for t in tracers]
        results = measure_rounds(conditions, 1)
        for tracer in tracers:
            runs = results[tracer.name]
            if isinstance(runs, Exception):
                table.add_failure(f"{tracer.name}: {label}", runs)
                continue
            wall = median(r.wall_s for r in runs)
            verdict = ("met" if wall <= COMPILE_TARGET_S else "not met") if tracer is ctx.sonde else ""
            table.add(tracer.name, label, f"{wall:.2f}", mb(median(r.max_rss_kb for r in runs)),
                      verdict)


def map_rows(ctx, tracers, table):
    keys = ctx.sizes.scale_map_keys
    # The map's size limit, in the spelling of bpftrace 0.17 and of 0.26 (which sonde reads).
    for variable in ("BPFTRACE_MAP_KEYS_MAX", "BPFTRACE_MAX_MAP_KEYS"):
        os.environ[variable] = str(keys + keys // 10)
    for label, top in ((f"{keys:,} keys, printed at exit", False),
                       (f"{keys:,} keys, print(@m, 10)", True)):
        for tracer in tracers:
            script = map_script(top)
            with open(ctx.scratch("map-print.out"), "w") as out:
                condition = tracer_condition(tracer, lambda t=tracer, s=script, o=out: measured(
                    ctx, t, t.command(s, child=[ctx.loop, keys, 1, "/dev/null"]), label, 600, o))
                runs = measure_rounds([condition], 1)[tracer.name]
            if isinstance(runs, Exception):
                table.add_failure(f"{tracer.name}: {label}", runs)
                continue
            run = runs[0]
            table.add(tracer.name, label, f"{run.wall_s:.2f}", mb(run.max_rss_kb), "")


def run(ctx):
    tracers = ctx.tracers() if ctx.sizes.wildcard_bpftrace else [ctx.sonde]
    table = Table("scale: compile time of big scripts, printing big maps",
                  ["", "case", "wall s", "peak RSS MB", "target (compile <= 2 s)"])
    compile_rows(ctx, tracers, table)
    map_rows(ctx, tracers, table)
    return table
