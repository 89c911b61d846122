"""Builds the benchmarks' own programs (never sonde) into build-bench/."""

import os
import subprocess

from benchlib.procs import BenchError


def _run(argv):
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"build failed: {' '.join(argv)}\n{done.stdout}{done.stderr}")


def build(bench_dir, out_dir):
    """Returns the paths of getppid_timed, measure and (libbpf loader, its object)."""
    os.makedirs(out_dir, exist_ok=True)
    programs = []
    for name in ("getppid_timed", "measure"):
        programs.append(os.path.join(out_dir, name))
        _run(["cc", "-O2", "-Wall", "-Wextra", "-o", programs[-1],
              os.path.join(bench_dir, "programs", f"{name}.c")])
    libbpf_dir = os.path.join(out_dir, "libbpf_count")
    _run([os.path.join(bench_dir, "libbpf_count", "build.sh"), libbpf_dir])
    return (*programs, (os.path.join(libbpf_dir, "count"), os.path.join(libbpf_dir, "count.bpf.o")))


def build_map_batch(out_path):
    """bench/programs/map_batch (linked with libbpf) at out_path."""
    source = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "programs",
                          "map_batch.c")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libbpf"], capture_output=True,
                           text=True, check=True).stdout.split()
    _run(["cc", "-O2", "-Wall", "-Wextra", "-o", out_path, source, *flags])
    return out_path


def build_events(out_dir):
    """bench/programs/events_timed and the hand-written programs of
    bench/libbpf_events, built into out_dir: (events_timed, loader, the
    directory of the NAME.bpf.o objects)."""
    bench_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libbpf"], capture_output=True,
                           text=True, check=True).stdout.split()
    os.makedirs(out_dir, exist_ok=True)
    loop = os.path.join(out_dir, "events_timed")
    _run(["cc", "-O2", "-Wall", "-Wextra", "-o", loop,
          os.path.join(bench_dir, "programs", "events_timed.c"), *flags])
    objects = os.path.join(out_dir, "libbpf_events")
    _run([os.path.join(bench_dir, "libbpf_events", "build.sh"), objects])
    return loop, os.path.join(objects, "loader"), objects
