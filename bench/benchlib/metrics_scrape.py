"""--metrics: what one scrape of a large map costs sonde.

sonde runs a script whose map @m is filled before begin (--map, from a JSON
file) with 10,000 and then 100,000 integer keys, and serves it with
--metrics on a loopback port; nothing fires during the measurement. Each
scrape is a GET /metrics in the text format, timed by the client from the
request to the last byte; the CPU it cost sonde is the change of its
utime + stime (/proc/PID/stat, all threads) over the scrapes, divided by
their number. Peak RSS is sonde's VmHWM after the scrapes, beside its VmRSS
before the first.
"""

import json
import os
import socket
import subprocess
import time
import urllib.request

from benchlib.procs import BenchError, stop_group
from benchlib.table import Table, mb

SCRIPT = ("config = { max_map_keys = %d; print_maps_on_exit = false }\n"
          "interval:s:3600 { @m[0] = 0; exit(); }\n")
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def memory_kb(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def scrape(url):
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
    return time.monotonic() - started, body


def measure(ctx, keys, scrapes):
    data, script = ctx.scratch(f"metrics_{keys}.json"), ctx.scratch(f"metrics_{keys}.bt")
    with open(data, "w") as f:
        json.dump({str(i): i for i in range(keys)}, f)
    with open(script, "w") as f:
        f.write(SCRIPT % keys)
    port = free_port()
    url = f"http://127.0.0.1:{port}/metrics"
    sonde = subprocess.Popen([ctx.sonde.binary, "-q", "--metrics", str(port), "--map",
                              f"@m={data}", script], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _, body = scrape(url)
                break
            except OSError:
                if sonde.poll() is not None or time.monotonic() > deadline:
                    raise BenchError(f"metrics ({keys} keys): sonde does not serve: " +
                                     sonde.stderr.read().decode(errors="replace").strip())
                time.sleep(0.2)
        series = body.count(b"\nsonde_m{")
        if series != keys:
            raise BenchError(f"metrics ({keys} keys): {series} series of @m")
        rss_before = memory_kb(sonde.pid, "VmRSS")
        cpu_before = cpu_seconds(sonde.pid)
        latencies = [scrape(url)[0] for _ in range(scrapes)]
        cpu = (cpu_seconds(sonde.pid) - cpu_before) / scrapes
        peak = memory_kb(sonde.pid, "VmHWM")
    finally:
        stop_group(sonde)
        sonde.stderr.close()
    latencies.sort()
    return {"keys": keys, "bytes": len(body), "best": latencies[0],
            "median": latencies[len(latencies) // 2], "cpu": cpu, "rss_before": rss_before,
            "peak": peak, "scrapes": scrapes}


def run(ctx):
    sizes = zip((10_000, 100_000), ctx.sizes.metrics_scrapes)
    table = Table("metrics: GET /metrics of a map of N integer keys (--metrics, text format)",
                  ["", "scrapes", "MB", "best ms", "median ms", "CPU ms/scrape",
                   "RSS MB", "peak RSS MB"])
    for keys, scrapes in sizes:
        r = measure(ctx, keys, scrapes)
        table.add(f"{keys:,} keys", r["scrapes"], f"{r['bytes'] / 1e6:.1f}",
                  f"{r['best'] * 1e3:.0f}", f"{r['median'] * 1e3:.0f}",
                  f"{r['cpu'] * 1e3:.0f}", mb(r["rss_before"]), mb(r["peak"]))
    return table
