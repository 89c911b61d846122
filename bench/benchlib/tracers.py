"""The tracers compared: sonde and, when installed, bpftrace.

A tracer knows how its command line is spelled and how it reports what the
benchmarks read back (map lines, attached probes, lost events).
"""

import re
import shutil
from dataclasses import dataclass


@dataclass(frozen=True)
class Tracer:
    name: str
    binary: str
    begin_probe: str  # bpftrace 0.17 knows only BEGIN
    attached: re.Pattern  # group 1: number of probes
    lost: re.Pattern  # group 1: number of events lost
    options: tuple = ()
    required: bool = False  # a failure of sonde fails the run; one of bpftrace only shows

    def command(self, program, child=None):
        """The command line running program; child (argv) runs under -c."""
        argv = [self.binary, *self.options, "-e", program]
        if child:
            argv += ["-c", " ".join(str(word) for word in child)]
        return argv

    def with_options(self, *options):
        label = f"{self.name} {' '.join(options)}"
        return Tracer(label, self.binary, self.begin_probe, self.attached, self.lost,
                      self.options + options, self.required)

    def probes_attached(self, output):
        match = self.attached.search(output)
        return int(match.group(1)) if match else None

    def events_lost(self, output):
        return sum(int(m.group(1)) for m in self.lost.finditer(output))


def map_count(output, key):
    """The value of `@[key]: N` in output, or None."""
    match = re.search(rf"^@\[{re.escape(key)}\]: (\d+)$", output, re.MULTILINE)
    return int(match.group(1)) if match else None


def sonde(binary):
    return Tracer("sonde", binary, "begin", re.compile(r"Attached (\d+) probes?"),
                  re.compile(r"WARNING: (\d+) events lost"), required=True)


def bpftrace():
    """bpftrace from PATH, or None."""
    binary = shutil.which("bpftrace")
    if not binary:
        return None
    return Tracer("bpftrace", binary, "BEGIN", re.compile(r"Attaching (\d+) probes?"),
                  re.compile(r"Lost (\d+) events"))
