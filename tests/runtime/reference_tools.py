#!/usr/bin/env python3
"""The tools shipped with bpftrace 0.26, run by sonde against the real kernel.

Each tool that this kernel can run is loaded with --verify, then run while a
small workload makes it fire, stopped with SIGINT, and its output checked for
the shape bpftrace's has: its header and at least one event or histogram.
The tools that need kprobes or data symbols must be refused with a one-line
reason. The tools are not part of this repository: they are read from the
bpftrace reference beside it (or SONDE_REFERENCE_TOOLS); without them the
test is skipped.

usage: reference_tools.py SONDE
"""
import os
import pty
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

from bpftrace_reference import reference_path

TOOLS = None  # the reference's tools folder, set by main()

TIME = r"\d\d:\d\d:\d\d"
BUCKET = r"^\[\d+\S*(, \d+\S*\))?\s+\d+ \|@*\s*\|$"

# tool: (workload, [regexes each of which must match a line of stdout])
RUNNABLE = {
    "bashreadline": ("readline", [r"^TIME\s+PID\s+COMMAND$",
                                  rf"^{TIME}\s+\d+\s+echo sonde-readline$"]),
    "biolatency": ("io", [r"^@usecs:$", BUCKET]),
    "biosnoop": ("io", [r"^TIME\(ms\)\s+DISK ID\s+COMM\s+PID\s+LAT\(ms\)$",
                        r"^\d+\s+\d+\s+\d+\s+\S.*\s+\d+\s+\d+$"]),
    "biostacks": ("io", [r"^@usecs\[$", r"^\s+\w+\+\d+$", BUCKET]),
    "bitesize": ("io", [r"^I/O size \(bytes\) histograms by process name:$", r"^@\[.+\]:$",
                        BUCKET]),
    "cpuwalk": ("busy", [r"^@cpu:$", BUCKET]),
    "execsnoop": ("exec", [r"^TIME\s+PID\s+PPID\s+ARGS$",
                           rf"^{TIME}\.\d{{6}} \d+\s+\d+\s+/bin/echo sonde-exec$"]),
    "gethostlatency": ("resolve", [r"^TIME\s+PID\s+COMM\s+LATms HOST$",
                                   rf"^{TIME}\s+\d+\s+getent\s+\d+ localhost$"]),
    "killsnoop": ("kill", [r"^TIME\s+PID COMM\s+SIG\s+TPID RESULT$",
                           rf"^{TIME}\.\d{{6}}\s+\d+ \S+\s+SIGTERM\s+\d+\s+0$"]),
    "naptime": ("sleep", [r"^TIME\s+PPID\s+PCOMM\s+PID\s+COMM\s+SECONDS$",
                          rf"^{TIME} \d+\s+\S+\s+\d+\s+sleep\s+0\.2\d\d$"]),
    "opensnoop": ("files", [r"^PID\s+COMM\s+FD\s+ERR PATH$",
                            r"^\d+\s+cat\s+\d+\s+0 /etc/hostname$"]),
    "pidpersec": ("exec", [rf"^{TIME} PIDs/sec: @: \d+$"]),
    "runqlat": ("busy", [r"^@usecs:$", BUCKET]),
    "runqlen": ("busy", [r"^@runqlen:$", BUCKET]),
    "setuids": ("setuid", [r"^TIME\s+PID\s+COMM\s+UID\s+SYSCALL\s+ARGS \(RET\)$",
                           rf"^{TIME} \d+\s+python3\s+0\s+setuid\s+uid=0 \(0\)$",
                           rf"^{TIME} \d+\s+python3\s+0\s+setresuid\s+ruid=0 euid=0 suid=0 \(0\)$"]),
    "ssllatency": ("tls", [r"^Latency distribution in microsecond:$",
                           r"^@histF?\[.+\]:$", BUCKET]),
    "sslsnoop": ("tls", [r"^TIME\(us\)\s+TID\s+COMM\s+LAT\(us\)\s+RET FUNC$",
                         r"^\d+\s+\d+\s+openssl\s+\d+\s+-?\d+ SSL_\w+$"]),
    "statsnoop": ("files", [r"^PID\s+COMM\s+ERR PATH$", r"^\d+\s+stat\s+0 /etc/hostname$"]),
    "syncsnoop": ("sync", [r"^TIME\s+PID\s+COMM\s+EVENT$",
                           rf"^{TIME}\s+\d+\s+sync\s+tracepoint:syscalls:sys_enter_sync$"]),
    "syscount": ("exec", [r"^Top 10 syscalls IDs:$", r"^@syscall\[\d+\]: \d+$",
                          r"^Top 10 processes:$", r"^@process\[.+\]: \d+$"]),
    "tcpdrop": ("none", [r"^TIME\s+PID\s+COMM\s+SADDR:SPORT\s+DADDR:DPORT\s+STATE\s*$"]),
    "threadsnoop": ("threads", [r"^TIME\s+PID COMM\s+FUNC$",
                                rf"^{TIME}\.\d{{6}}\s+\d+ python3\s+\S+$"]),
    "writeback": ("sync", [r"^TIME\s+DEVICE\s+PAGES\s+REASON\s+ms$",
                           rf"^{TIME}\s+\d+:\d+\s+\d+\s+\S+\s+\d+\.\d{{3}}$"]),
}

# tool: what the one-line refusal must say on this kernel
REFUSED = {
    "loads": r"Failed to resolve kernel symbol: avenrun",
    **{name: r"kprobe|kernel function" for name in (
        "biolatency-kp", "capable", "dcsnoop", "mdflush", "oomkill", "swapin", "tcpaccept",
        "tcpconnect", "tcplife", "tcpretrans", "tcpsynbl", "undump", "vfscount", "vfsstat",
        "xfsdist")},
}


def run(*cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          check=False, **kw)


def readline_workload(_):
    # bash reads an interactive line with readline() only on a terminal.
    main, sub = pty.openpty()
    bash = subprocess.Popen(["bash", "--norc", "--noprofile", "-i"], stdin=sub, stdout=sub,
                            stderr=sub, start_new_session=True)
    os.close(sub)
    os.write(main, b"echo sonde-readline\nexit\n")
    deadline = time.time() + 5
    while bash.poll() is None and time.time() < deadline:
        if select.select([main], [], [], 0.1)[0]:
            try:
                os.read(main, 4096)
            except OSError:
                break
    if bash.poll() is None:
        bash.kill()
    bash.wait()
    os.close(main)


def tls_workload(workdir):
    key, cert = os.path.join(workdir, "key.pem"), os.path.join(workdir, "cert.pem")
    if not os.path.exists(cert):
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=sonde", "-days", "1",
            "-keyout", key, "-out", cert)
    port = "48443"
    server = subprocess.Popen(
        ["openssl", "s_server", "-quiet", "-naccept", "1", "-accept", "127.0.0.1:" + port,
         "-key", key, "-cert", cert], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    # The client stays a while, so that its functions can still be
    # symbolized when sonde prints the events.
    client = subprocess.Popen(["openssl", "s_client", "-quiet", "-connect", "127.0.0.1:" + port],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    client.stdin.write(b"hello\n")
    client.stdin.flush()
    time.sleep(1)
    client.stdin.close()
    client.wait(timeout=5)
    try:
        server.wait(timeout=3)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def workload(kind, workdir):
    if kind == "readline":
        readline_workload(workdir)
    elif kind == "tls":
        tls_workload(workdir)
    elif kind == "io":
        path = os.path.join(workdir, "io")
        run("dd", "if=/dev/zero", "of=" + path, "bs=4k", "count=256", "oflag=direct")
        run("dd", "if=" + path, "of=/dev/null", "bs=4k", "iflag=direct")
    elif kind == "busy":
        run("python3", "-c", "import time\nend = time.time() + 0.5\nwhile time.time() < end: pass")
    elif kind == "exec":
        for _ in range(3):
            run("/bin/echo", "sonde-exec")
    elif kind == "resolve":
        run("getent", "hosts", "localhost")
    elif kind == "kill":
        sleeper = subprocess.Popen(["sleep", "30"])
        sleeper.terminate()
        sleeper.wait()
    elif kind == "sleep":
        run("sleep", "0.2")
    elif kind == "files":
        run("cat", "/etc/hostname")
        run("stat", "/etc/hostname")
    elif kind == "setuid":
        run("python3", "-c", "import os; os.setresuid(0, 0, 0); os.setuid(0)")
    elif kind == "sync":
        with open(os.path.join(workdir, "dirty"), "w") as f:
            f.write("x" * 65536)
        run("sync")
    elif kind == "threads":
        run("python3", "-c",
            "import threading; t = threading.Thread(target=print); t.start(); t.join()")


def wait_attached(proc, timeout):
    """Reads stderr until sonde says it attached; returns what it read."""
    seen = b""
    deadline = time.time() + timeout
    while b"Attached" not in seen and time.time() < deadline and proc.poll() is None:
        if select.select([proc.stderr], [], [], 0.1)[0]:
            chunk = os.read(proc.stderr.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
    return seen


def check_runnable(sonde, name, kind, patterns, workdir):
    path = os.path.join(TOOLS, name + ".bt")
    verify = subprocess.run([sonde, "--verify", path], capture_output=True, text=True,
                            check=False)
    if verify.returncode != 0:
        return f"--verify failed: {verify.stderr.strip()[:300]}"
    proc = subprocess.Popen([sonde, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        err = wait_attached(proc, 30)
        if b"Attached" not in err:
            proc.kill()
            out, rest = proc.communicate()
            return f"did not attach: {(err + rest).decode(errors='replace').strip()[:300]}"
        workload(kind, workdir)
        time.sleep(1.2)  # interval:1s tools print once a second
        proc.send_signal(signal.SIGINT)
        out, rest = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = out.decode(errors="replace").splitlines()
    missing = [p for p in patterns if not any(re.search(p, line) for line in lines)]
    if proc.returncode != 0:
        return f"exit {proc.returncode}: {(err + rest).decode(errors='replace').strip()[:300]}"
    if missing:
        return "no line matches " + ", ".join(missing) + "\n    output:\n      " + \
            "\n      ".join(lines[:30])
    return None


def check_refused(sonde, name, reason):
    result = subprocess.run([sonde, os.path.join(TOOLS, name + ".bt")], capture_output=True,
                            text=True, timeout=60, check=False)
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    if result.returncode == 0:
        return "was not refused"
    if len(errors) != 1 or not re.search(reason, errors[0]):
        return f"refusal is not one line matching {reason!r}: {result.stderr.strip()[:300]}"
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sonde = sys.argv[1]
    global TOOLS
    TOOLS = reference_path("tools", "SONDE_REFERENCE_TOOLS")
    failures = 0
    with tempfile.TemporaryDirectory(dir="/var/tmp") as workdir:
        for name, (kind, patterns) in RUNNABLE.items():
            problem = check_runnable(sonde, name, kind, patterns, workdir)
            print(("FAIL " if problem else "PASS ") + name + (": " + problem if problem else ""))
            failures += bool(problem)
        for name, reason in REFUSED.items():
            problem = check_refused(sonde, name, reason)
            print(("FAIL " if problem else "PASS ") + name + " (refused)" +
                  (": " + problem if problem else ""))
            failures += bool(problem)
    print(f"{len(RUNNABLE) + len(REFUSED) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
