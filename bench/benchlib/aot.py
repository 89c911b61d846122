"""aot: a script compiled once with `sonde --aot`, run by `sonde-run`.

`begin { exit(); }` from exec to exit, `sonde -e` against `sonde-run
ARTIFACT` (interleaved), and the stripped size of both binaries. The runner
loads the object the artifact carries: no parsing, no LLVM.
"""

import os
import shutil
import subprocess
from statistics import median

from benchlib.context import Condition, measure_rounds
from benchlib.procs import BenchError
from benchlib.table import Table, mb, ms

PROGRAM = "begin { exit(); }"
# Issue 15's targets for the runner.
MAX_STRIPPED_MB = 3.0
MAX_WALL_MS = 5.0
MAX_RSS_MB = 6.0


def find_runner(sonde):
    binary = os.environ.get("SONDE_RUN") or os.path.join(os.path.dirname(sonde), "sonde-run")
    if not os.access(binary, os.X_OK):
        raise BenchError(f"no sonde-run at {binary} (build it, or set SONDE_RUN)")
    return binary


def stripped_mb(ctx, binary):
    copy = ctx.scratch(os.path.basename(binary) + ".stripped")
    subprocess.run(["strip", "-o", copy, binary], check=True)
    return os.path.getsize(copy) / 1e6


def measure(ctx, argv, what):
    run = ctx.run(argv, timeout=60)
    run.check(what)
    return run


def run(ctx):
    sonde = ctx.sonde.binary
    runner = find_runner(sonde)
    artifact = ctx.scratch("begin_exit.aot")
    compiled = subprocess.run([sonde, "--aot", artifact, "-e", PROGRAM], capture_output=True,
                              text=True)
    if compiled.returncode != 0:
        raise BenchError(f"sonde --aot failed: {compiled.stderr.strip()}")
    conditions = [
        Condition("sonde -e", lambda: measure(ctx, [sonde, "-e", PROGRAM], "sonde -e")),
        Condition("sonde-run ARTIFACT",
                  lambda: measure(ctx, [runner, artifact], "sonde-run")),
    ]
    measure_rounds(conditions, 1)  # warms the page cache; not counted
    results = measure_rounds(conditions, ctx.sizes.startup_runs)
    table = Table(f"aot: begin {{ exit(); }} ({ctx.sizes.startup_runs} runs)",
                  ["", "wall ms (median)", "wall ms (best)", "peak RSS MB (median)",
                   "stripped MB"])
    sizes = {"sonde -e": stripped_mb(ctx, sonde), "sonde-run ARTIFACT": stripped_mb(ctx, runner)}
    for name, runs in results.items():
        table.add(name, ms(median(r.wall_s for r in runs)), ms(min(r.wall_s for r in runs)),
                  mb(median(r.max_rss_kb for r in runs)), f"{sizes[name]:.2f}")
    runs = results["sonde-run ARTIFACT"]
    wall_ms = median(r.wall_s for r in runs) * 1e3
    rss_mb = median(r.max_rss_kb for r in runs) / 1024
    size = sizes["sonde-run ARTIFACT"]

    def verdict(value, limit):
        return "met" if value <= limit else "missed"

    table.notes.append(f"artifact: {os.path.getsize(artifact)} bytes")
    table.notes.append(
        f"targets for sonde-run: stripped <= {MAX_STRIPPED_MB:g} MB ({verdict(size, MAX_STRIPPED_MB)}), "
        f"startup <= {MAX_WALL_MS:g} ms ({verdict(wall_ms, MAX_WALL_MS)}), "
        f"peak RSS <= {MAX_RSS_MB:g} MB ({verdict(rss_mb, MAX_RSS_MB)})")
    if not shutil.which("strip"):
        table.notes.append("strip not found: sizes are unstripped")
    return table
