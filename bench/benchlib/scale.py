"""Scale: big scripts and big maps.

compile: generated scripts, from exec to exit — one begin probe of N map
stores (one long basic block), and P interval probes each with a map of its
own (P programs, P maps), attached with --dry-run and detached at once.

map print: a map of one key per traced getppid(2) call (`@m[nsecs] =
count()`, a per-CPU hash), printed at exit, as JSON, with `print(@m, 10)`,
`clear(@m)` or `zero(@m)` in an end probe instead; the same keys holding a
plain integer (a hash), and a tenth as many holding a `hist()`. Wall time
from exec to exit (the traced loop included, the same for every tracer),
the part of it after the traced loop ended (the end probe, reading,
printing, exit), and peak RSS. Then the kernel's share alone
(bench/programs/map_batch): the batched system calls that read, zero and
clear such a map, in a program that does nothing else; wall and CPU time.
"""

import os
from statistics import median

from benchlib.build import build_map_batch
from benchlib.context import measure_rounds, tracer_condition
from benchlib.table import Table, mb

COMPILE_TARGET_S = 2.0  # issue 17: compile and load in <= 2 s


def stores_script(tracer, count):
    stores = " ".join(f"@m[{i}] = {i};" for i in range(count))
    return f"{tracer.begin_probe} {{ {stores} exit(); }}"


def interval_script(count):
    return "\n".join(f"interval:s:{1000 + i} {{ @a{i} = count(); }}" for i in range(count))


PRINT_TARGET_S = 1.0  # issue 17: a 1M-key map printed at exit in <= 1 s, <= 80 MB
PRINT_TARGET_MB = 80
TOP_TARGET_S = 0.3  # print(@m, 10) of it
CLEAR_TARGET_S = 0.2  # clear() or zero() of it


def map_script(value, end=""):
    body = f"tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {{ @m[nsecs] = {value}; }}"
    return body + (f" END {{ {end} }}" if end else "")


def map_cases(keys):
    """(label, script, extra options, keys, target seconds after the loop, target MB)"""
    count = "count()"
    return [
        ("10 keys, count(), printed at exit (what every case costs)", map_script(count), (), 10,
         None, None),
        (f"{keys:,} keys, count(), printed at exit", map_script(count), (), keys,
         PRINT_TARGET_S, PRINT_TARGET_MB),
        (f"{keys:,} keys, count(), -f json", map_script(count), ("-f", "json"), keys,
         PRINT_TARGET_S, PRINT_TARGET_MB),
        (f"{keys:,} keys, count(), print(@m, 10); clear(@m)",
         map_script(count, "print(@m, 10); clear(@m);"),
         (), keys, TOP_TARGET_S, None),
        (f"{keys:,} keys, count(), clear(@m)", map_script(count, "clear(@m);"), (), keys,
         CLEAR_TARGET_S, None),
        (f"{keys:,} keys, count(), zero(@m); clear(@m)", map_script(count, "zero(@m); clear(@m);"),
         (), keys, None, None),
        (f"{keys:,} keys, integer, printed at exit", map_script("1"), (), keys, None, None),
        (f"{keys // 10:,} keys, hist(), printed at exit", map_script("hist(nsecs)"), (), keys // 10,
         None, None),
    ]


def after_loop_s(run, loop_file):
    """Seconds from the end of the traced loop to the tracer's exit."""
    with open(loop_file) as f:
        loop_end_ns = int(f.read().split()[1])
    return (run.end_ns - loop_end_ns) / 1e9


def map_verdict(after_s, rss_kb, target_s, target_mb):
    if target_s is None:
        return ""
    met = after_s <= target_s and (target_mb is None or rss_kb / 1024 <= target_mb)
    limits = f"<= {target_s:g} s" + (f", <= {target_mb} MB" if target_mb else "")
    return f"{limits}: {'met' if met else 'not met'}"


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
            verdict = (f"<= {COMPILE_TARGET_S:g} s: {'met' if wall <= COMPILE_TARGET_S else 'not met'}"
                       if tracer is ctx.sonde else "")
            table.add(tracer.name, label, f"{wall:.2f}", "", mb(median(r.max_rss_kb for r in runs)),
                      verdict)


def map_rows(ctx, tracers, table):
    loop_file = ctx.scratch("map-loop.out")
    for label, script, options, calls, target_s, target_mb in map_cases(ctx.sizes.scale_map_keys):
        # The map's size limit, in the spelling of bpftrace 0.17 and of 0.26 (which sonde reads).
        for variable in ("BPFTRACE_MAP_KEYS_MAX", "BPFTRACE_MAX_MAP_KEYS"):
            os.environ[variable] = str(calls + calls // 10)
        for tracer in tracers:
            with open(ctx.scratch("map-print.out"), "w") as out:
                condition = tracer_condition(tracer, lambda t=tracer, s=script, o=out: measured(
                    ctx, t, t.with_options(*options).command(s, child=[ctx.loop, calls, 1, loop_file]),
                    label, 600, o))
                runs = measure_rounds([condition], 1)[tracer.name]
            if isinstance(runs, Exception):
                table.add_failure(f"{tracer.name}: {label}", runs)
                continue
            run = runs[0]
            after = after_loop_s(run, loop_file)
            verdict = map_verdict(after, run.max_rss_kb, target_s, target_mb)
            table.add(tracer.name, label, f"{run.wall_s:.2f}", f"{after:.2f}", mb(run.max_rss_kb),
                      verdict if tracer is ctx.sonde else "")


def kernel_rows(ctx, table):
    binary = build_map_batch(ctx.scratch("map_batch"))
    keys = ctx.sizes.scale_map_keys
    operations = {"lookup": "BPF_MAP_LOOKUP_BATCH", "update": "BPF_MAP_UPDATE_BATCH of zeros",
                  "delete": "BPF_MAP_LOOKUP_AND_DELETE_BATCH"}
    for kind in ("percpu", "plain"):
        run = ctx.run([binary, str(keys), kind], timeout=300)
        run.check(f"map_batch {kind}")
        for line in run.stdout.splitlines():
            name, wall, cpu = line.split()
            table.add("kernel", f"{keys:,} keys, {'per-CPU' if kind == 'percpu' else 'plain'} hash, "
                      f"{operations[name]}", wall, "", "", f"CPU {cpu} s")


def run(ctx):
    tracers = ctx.tracers() if ctx.sizes.wildcard_bpftrace else [ctx.sonde]
    table = Table("scale: compile time of big scripts, printing big maps",
                  ["", "case", "wall s", "after loop s", "peak RSS MB", "target (issue 17) / note"])
    compile_rows(ctx, tracers, table)
    map_rows(ctx, tracers, table)
    kernel_rows(ctx, table)
    return table
