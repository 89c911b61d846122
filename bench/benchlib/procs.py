"""Runs the programs under measurement and leaves nothing behind.

Every program starts in a process group of its own, so a tracer and the
command it runs (-c) can be stopped together: SIGINT first, so that a tracer
detaches its probes and exits the way a user would make it, SIGKILL only if
it does not (the kernel then drops its probes with its file descriptors).
"""

import os
import select
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass

GRACE_SECONDS = 60


class BenchError(Exception):
    """A benchmark could not measure what it set out to."""


@dataclass
class Run:
    argv: list
    status: int
    wall_s: float
    max_rss_kb: int
    end_ns: int  # CLOCK_MONOTONIC when the program had exited
    stdout: str
    stderr: str
    timed_out: bool

    def check(self, what):
        """Raises BenchError unless the run exited 0 within its time."""
        command = f"\n  command: {' '.join(self.argv)}"
        if self.timed_out:
            raise BenchError(f"{what}: timed out{command}")
        if self.status != 0:
            reason = (self.stderr.strip().splitlines() or ["no message"])[-1]
            raise BenchError(f"{what}: exit status {self.status}: {reason}{command}")


def stop_group(proc):
    """Stops the process group started for proc (its id is proc.pid)."""
    for sig, grace in ((signal.SIGINT, GRACE_SECONDS), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def run_measured(measure, argv, timeout, stdout=None):
    """Runs argv to completion under measure (bench/programs/measure.c):
    wall time, peak RSS, exit status. Output goes to stdout (a file object)
    if given, else it is captured. Past timeout seconds the group is stopped."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as figures:
        proc = subprocess.Popen([measure, figures.name, *argv], stdin=subprocess.DEVNULL,
                                stdout=stdout or out, stderr=err, start_new_session=True)
        timed_out = False
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            stop_group(proc)
        except BaseException:
            stop_group(proc)
            raise
        start_ns, end_ns, max_rss_kb = (int(f) for f in figures.read().split() or (0, 0, 0))
        out.seek(0)
        err.seek(0)
        return Run(argv=argv, status=proc.returncode, wall_s=(end_ns - start_ns) / 1e9,
                   max_rss_kb=max_rss_kb, end_ns=end_ns,
                   stdout=out.read().decode(errors="replace"),
                   stderr=err.read().decode(errors="replace"), timed_out=timed_out)


class Background:
    """A program that runs while something else is measured; ready once a
    line containing `ready` appears on its stderr. Its output goes to stdout
    (a file object) if given, else it is captured. Use as a context manager;
    stop() ends it with SIGTERM and returns (status, stdout, stderr)."""

    def __init__(self, argv, ready, timeout=30, stdout=None):
        self.argv = argv
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=stdout or subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True)
        self.stderr = b""
        deadline = time.monotonic() + timeout
        while ready.encode() not in self.stderr:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.proc.stderr], [], [], left)[0]:
                self.__exit__()
                raise BenchError(f"not ready after {timeout} s: {' '.join(argv)}")
            chunk = os.read(self.proc.stderr.fileno(), 4096)
            if not chunk:
                self.__exit__()
                raise BenchError(f"exited before it was ready: {' '.join(argv)}\n  " +
                                 self.stderr.decode(errors="replace").strip())
            self.stderr += chunk

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            out, err = self.proc.communicate(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            stop_group(self.proc)
            raise BenchError(f"did not exit on SIGTERM: {' '.join(self.argv)}")
        return self.proc.returncode, (out or b"").decode(errors="replace"), \
            (self.stderr + err).decode(errors="replace")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            stop_group(self.proc)
        if self.proc.stdout:
            self.proc.stdout.close()
        self.proc.stderr.close()
