#!/usr/bin/env python3
"""--metrics against a real Prometheus server (root, real kernel, loopback only).

Starts Prometheus on a free loopback port with a 1 s scrape interval and a
temporary data directory, then sonde with --metrics on another port, -f json
and -o, tracing a -c child that makes a known number of getppid() calls. The
script also fills a hist, an lhist, a map with tuple keys (label values that
need escaping) and one with record keys with known values. Then checks:

  * Prometheus' /api/v1/query gives exactly the maps' values, the histograms'
    cumulative bucket counts, and histogram_quantile() results that agree
    with those buckets (computed here the way Prometheus computes them);
  * the exposition passes `promtool check metrics`; the OpenMetrics form has
    its Content-Type and ends in `# EOF`; other paths get 404, POST 405;
  * clients that connect and send nothing, or ask for a large exposition and
    never read it, change neither the trace, nor Prometheus' scrapes, nor how
    fast sonde exits on SIGINT;
  * a port in use stops sonde at startup with one line, before any probe is
    attached.

Usage: metrics_prometheus.py --sonde PATH --progs DIR
Leaves no process behind: everything started is killed in `finally`.
"""

import argparse
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

CALLS = 4000  # getppid() calls of the child; also the keys of @each
HIST_VALUES = [0, 1, 2, 3, 5, 8, 13, 100, 1000, 1000, 5000]
LHIST_VALUES = [-1, 5, 15, 15, 25, 99, 150]  # lhist(v, 0, 100, 10)
PAIRS = {("1", "plain"): 10, ("2", 'quote" back\\ slash'): 20, ("3", "new\nline"): 30}

SCRIPT = """
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
  @calls = count();
  @each[nsecs] = count();
}
begin {
%s
%s
  @pairs[1, "plain"] = 10;
  @pairs[2, "quote\\" back\\\\ slash"] = 20;
  @pairs[3, "new\\nline"] = 30;
  @records[(name = "alpha", n = 2)] = 7;
}
""" % ("\n".join(f"  @latency = hist({v});" for v in HIST_VALUES),
       "\n".join(f"  @sizes = lhist({v}, 0, 100, 10);" for v in LHIST_VALUES))

OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, headers=None, method="GET", timeout=5):
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, ""


def wait_for(what, predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = predicate()
            if result:
                return result
        except (OSError, urllib.error.URLError, ValueError, KeyError):
            pass
        time.sleep(0.2)
    raise Failure(f"timed out waiting for {what}")


def stop(process, sig=signal.SIGTERM):
    """Stops a process started in a session of its own, and with SIGKILL
    whatever is left of its group (sonde's -c child)."""
    if process is None:
        return
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


class Prometheus:
    def __init__(self, directory, target):
        self.port = free_port()
        config = os.path.join(directory, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    "scrape_configs:\n  - job_name: sonde\n    static_configs:\n"
                    f"      - targets: ['{target}']\n")
        self.log = open(os.path.join(directory, "prometheus.log"), "w")
        self.process = subprocess.Popen(
            ["prometheus", f"--config.file={config}",
             f"--storage.tsdb.path={os.path.join(directory, 'data')}",
             f"--web.listen-address=127.0.0.1:{self.port}"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        wait_for("Prometheus to be ready",
                 lambda: http_get(self.url("/-/ready"))[0] == 200, 30)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def query(self, expression):
        status, _, body = http_get(self.url("/api/v1/query?" +
                                            urllib.parse.urlencode({"query": expression})))
        check(status == 200, f"query {expression}: HTTP {status}")
        answer = json.loads(body)
        check(answer["status"] == "success", f"query {expression}: {answer}")
        return [(r["metric"], float(r["value"][1])) for r in answer["data"]["result"]]

    def close(self):
        stop(self.process)
        self.log.close()


def cumulative(bounds, values):
    """[(le, count of values <= le)] for the finite bounds, then +Inf."""
    rows = [(le, sum(1 for v in values if v <= le)) for le in bounds]
    return rows + [(math.inf, len(values))]


def expected_quantile(q, buckets):
    """histogram_quantile() as Prometheus computes it from sorted buckets."""
    total = buckets[-1][1]
    rank = q * total
    b = next(i for i, (_, count) in enumerate(buckets) if count >= rank)
    if b == len(buckets) - 1:
        return buckets[-2][0]
    if b == 0 and buckets[0][0] <= 0:
        return buckets[0][0]
    start, end, count = 0.0, buckets[b][0], buckets[b][1]
    if b > 0:
        start = buckets[b - 1][0]
        count -= buckets[b - 1][1]
        rank -= buckets[b - 1][1]
    return start + (end - start) * (rank / count)


def check_histogram(prometheus, name, expected):
    got = sorted((float(m["le"]), v) for m, v in prometheus.query(f"{name}_bucket"))
    check(got == [(float(le), float(c)) for le, c in expected],
          f"{name} buckets: got {got}, expected {expected}")
    for q in (0.25, 0.5, 0.9, 0.99):
        [(_, value)] = prometheus.query(f"histogram_quantile({q}, {name}_bucket)")
        want = expected_quantile(q, got)
        check(math.isclose(value, want, rel_tol=1e-9, abs_tol=1e-9),
              f"histogram_quantile({q}, {name}_bucket) = {value}, the buckets give {want}")


def check_values(prometheus):
    [(_, calls)] = prometheus.query("sonde_calls_total")
    check(calls == CALLS, f"sonde_calls_total = {calls}, expected {CALLS}")
    [(_, each)] = prometheus.query("count(sonde_each_total)")
    check(each == CALLS, f"{each} series of @each, expected {CALLS}")
    # hist(): le = 2^n - 1 ("-1" holds the negative values); lhist: min-1, then
    # every step - 1 up to max - 1.
    check_histogram(prometheus, "sonde_latency",
                    cumulative([-1, 0, 1, 3, 7, 15, 31, 63, 127, 255, 511, 1023, 2047, 4095,
                                8191], HIST_VALUES))
    check_histogram(prometheus, "sonde_sizes",
                    cumulative([-1, 9, 19, 29, 39, 49, 59, 69, 79, 89, 99], LHIST_VALUES))
    pairs = {(m["key0"], m["key1"]): v for m, v in prometheus.query("sonde_pairs")}
    check(pairs == PAIRS, f"sonde_pairs: got {pairs}, expected {PAIRS}")
    records = [(m["name"], m["n"], v) for m, v in prometheus.query("sonde_records")]
    check(records == [("alpha", "2", 7)], f"sonde_records: {records}")
    [(build, one)] = prometheus.query("sonde_build_info")
    check(one == 1 and build.get("version"), f"sonde_build_info: {build} {one}")
    [(_, attached)] = prometheus.query("sonde_probes_attached")
    check(attached == 2, f"sonde_probes_attached = {attached}")
    limits = {m["map"]: v for m, v in prometheus.query("sonde_map_max_entries")}
    check(limits.get("@each") == 4096, f"sonde_map_max_entries: {limits}")


def check_exposition(base):
    status, headers, text = http_get(base + "/metrics")
    check(status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4"),
          f"text exposition: HTTP {status}, {headers['Content-Type']}")
    lint = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                          text=True)
    check(lint.returncode == 0, f"promtool check metrics: {lint.stdout}{lint.stderr}")
    # Without a sum, a histogram's _count is in the text format only (see
    # exposition.h); Prometheus asks for OpenMetrics.
    check(f"\nsonde_latency_count {len(HIST_VALUES)}\n" in text, "no sonde_latency_count")
    status, headers, text = http_get(base + "/metrics",
                                     {"Accept": "application/openmetrics-text;version=1.0.0,"
                                                "text/plain;version=0.0.4;q=0.5"})
    check(headers["Content-Type"] == OPEN_METRICS, f"OpenMetrics: {headers['Content-Type']}")
    check(text.endswith("\n# EOF\n"), "OpenMetrics exposition does not end in # EOF")
    check("# TYPE sonde_calls counter\n" in text, "OpenMetrics counter family name")
    check("sonde_latency_count" not in text, "OpenMetrics histogram _count without _sum")
    check(http_get(base + "/other")[0] == 404, "an unknown path is not 404")
    check(http_get(base + "/metrics", method="POST")[0] == 405, "POST is not 405")


def misbehaving_clients(address):
    """A client that sends nothing, and one that asks and never reads."""
    silent = socket.create_connection(address)
    never_reads = socket.socket()
    never_reads.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    never_reads.connect(address)
    never_reads.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    return [silent, never_reads]


def check_port_in_use(sonde):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        run = subprocess.run([sonde, "--metrics", str(port), "-e",
                              "tracepoint:syscalls:sys_enter_getppid { @n = count(); }"],
                             capture_output=True, text=True, timeout=60)
    check(run.returncode == 1, f"port in use: exit {run.returncode}")
    lines = run.stderr.strip().splitlines()
    check(len(lines) == 1 and "cannot listen on 127.0.0.1:%d" % port in lines[0]
          and "Address already in use" in lines[0], f"port in use: stderr {run.stderr!r}")
    check("Attached" not in run.stderr and run.stdout == "", "port in use: probes attached")
    check(time.monotonic() - started < 30, "port in use: slow to fail")


def run(sonde, progs):
    check_port_in_use(sonde)
    metrics_port = free_port()
    address = ("127.0.0.1", metrics_port)
    base = f"http://127.0.0.1:{metrics_port}"
    prometheus = sonde_process = None
    stuck = []
    with tempfile.TemporaryDirectory(prefix="sonde-metrics-") as directory:
        try:
            prometheus = Prometheus(directory, f"127.0.0.1:{metrics_port}")
            script = os.path.join(directory, "script.bt")
            with open(script, "w") as f:
                f.write(SCRIPT)
            output = os.path.join(directory, "trace.json")
            child = f"{os.path.join(progs, 'getppid_loop')} {CALLS} 60000"
            sonde_process = subprocess.Popen(
                [sonde, "--metrics", str(metrics_port), "-f", "json", "-o", output, script,
                 "-c", child], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True, start_new_session=True)
            wait_for("sonde to serve", lambda: http_get(base + "/metrics")[0] == 200, 30)
            stuck = misbehaving_clients(address)
            wait_for("Prometheus to have scraped the maps",
                     lambda: prometheus.query("sonde_calls_total") and
                     prometheus.query("sonde_calls_total")[0][1] == CALLS, 30)
            check_values(prometheus)
            check_exposition(base)
            # Prometheus keeps scraping with the stuck clients connected.
            [(_, scrapes)] = prometheus.query('up{job="sonde"}')
            check(scrapes == 1, "Prometheus cannot scrape sonde with stuck clients connected")
            interrupted = time.monotonic()
            sonde_process.send_signal(signal.SIGINT)
            stdout, stderr = sonde_process.communicate(timeout=30)
            took = time.monotonic() - interrupted
            check(sonde_process.returncode == 0,
                  f"sonde exited with {sonde_process.returncode}: {stderr}")
            check(took < 5, f"sonde took {took:.1f} s to exit with stuck clients")
            with open(output) as f:
                records = [json.loads(line) for line in f if line.strip()]
            calls = [r["data"]["@calls"] for r in records
                     if r.get("type") == "map" and "@calls" in r["data"]]
            check(calls == [CALLS], f"-f json -o: @calls {calls}")
        finally:
            for s in stuck:
                s.close()
            stop(sonde_process, signal.SIGINT)
            if prometheus:
                prometheus.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sonde", required=True)
    parser.add_argument("--progs", required=True)
    args = parser.parse_args()
    try:
        run(os.path.abspath(args.sonde), os.path.abspath(args.progs))
    except Failure as e:
        print(f"FAIL: {e}")
        return 1
    print("metrics against Prometheus: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
