"""printf throughput: one printf per getppid(2) call of a tight loop, output to
a file; how many lines arrive, how fast, and how many events were lost.

Lines per second run from the loop's first call to the tracer's exit (all
output written). The loop's own ns/call shows how much a tracer slows the
traced program down instead of losing events.
"""

import re
from benchlib import loop
from benchlib.context import measure_rounds, tracer_condition
from benchlib.procs import BenchError
from benchlib.table import Table

SCRIPT = 'tracepoint:syscalls:sys_enter_getppid { printf("%d %s\\n", pid, comm); }'
EVENT_LINE = re.compile(rf"^\d+ {loop.COMM}$")


def read_output(path):
    """(event lines from our loop, the other lines as text)."""
    events, others = 0, []
    with open(path, errors="replace") as output:
        for line in output:
            if EVENT_LINE.match(line):
                events += 1
            else:
                others.append(line)
    return events, "".join(others)


def measure(ctx, tracer):
    events = ctx.sizes.printf_events
    result_path, output_path = ctx.scratch("printf_rounds"), ctx.scratch("printf_output")
    with open(output_path, "w") as output:
        run = ctx.run(tracer.command(SCRIPT, child=loop.command(ctx, events, 1, result_path)),
                      timeout=300, stdout=output)
    run.check(f"printf ({tracer.name})")
    delivered, others = read_output(output_path)
    if delivered > events:
        raise BenchError(f"printf ({tracer.name}): {delivered} lines for {events} events")
    (start_ns, end_ns), = loop.read_rounds(result_path)
    return {"delivered": delivered, "lost": tracer.events_lost(run.stderr + others),
            "per_second": delivered / ((run.end_ns - start_ns) / 1e9),
            "loop_ns": (end_ns - start_ns) / events}


def run(ctx):
    tracers = [ctx.sonde, ctx.sonde.with_options("-B", "full")]
    tracers += [ctx.bpftrace] if ctx.bpftrace else []
    conditions = [tracer_condition(tracer, lambda t: measure(ctx, t)) for tracer in tracers]
    results = measure_rounds(conditions, ctx.sizes.printf_runs)
    table = Table(f"printf: {SCRIPT}\n  ({ctx.sizes.printf_events:,} events to a file, "
                  f"{ctx.sizes.printf_runs} run(s), median)",
                  ["", "lines/s", "lines", "missing", "lost (reported)", "loop ns/call"])
    for name, runs in results.items():
        if isinstance(runs, Exception):
            table.add_failure(name, runs)
            continue
        middle = sorted(runs, key=lambda r: r["per_second"])[len(runs) // 2]
        table.add(name, f"{middle['per_second']:,.0f}", f"{middle['delivered']:,}",
                  f"{ctx.sizes.printf_events - middle['delivered']:,}", f"{middle['lost']:,}",
                  f"{middle['loop_ns']:.0f}")
    return table
