#!/usr/bin/env python3
"""Stops sonde with signals while its output is hard to write, and checks
that nothing is lost, nothing hangs and no -c child is left behind.

Each test_* function starts the real binary (as root), does something to it
and raises Failure with what went wrong. Prints one line per test and
`N passed, N failed`; exits 1 if any failed.

    run.py --sonde build/sonde [TEST_NAME_SUBSTRING ...]
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

SONDE = None

# Fills a pipe fast with numbered lines; the end probe and the map show
# whether the run ended properly.
FLOOD = ('interval:us:200 { printf("line %08d ........................................'
         '........\\n", @n); @n++; } end { printf("end\\n"); }')
LINE = re.compile(r"^line \d{8} \.{48}$")


class Failure(Exception):
    pass


def start(args, stdout=subprocess.PIPE, **kwargs):
    stderr = tempfile.TemporaryFile()
    process = subprocess.Popen([SONDE] + args, stdout=stdout, stderr=stderr, **kwargs)
    process.stderr_file = stderr
    return process


def stderr_of(process):
    process.stderr_file.seek(0)
    return process.stderr_file.read().decode(errors="replace")


def wait_attached(process, timeout=20):
    deadline = time.monotonic() + timeout
    while "Attached" not in stderr_of(process):
        if process.poll() is not None or time.monotonic() > deadline:
            raise Failure(f"sonde did not attach; stderr: {stderr_of(process)!r}")
        time.sleep(0.05)


def wait_exit(process, timeout):
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise Failure(f"sonde still ran {timeout} s later; stderr: {stderr_of(process)!r}")


def read_slowly(pipe):
    """Reads a pipe to its end in small pieces, pausing between them."""
    data = b""
    while True:
        chunk = os.read(pipe.fileno(), 4096)
        if not chunk:
            return data.decode(errors="replace")
        data += chunk
        time.sleep(0.001)


def check_flood_output(text, status, process):
    if status != 0:
        raise Failure(f"exit status {status}; stderr: {stderr_of(process)!r}")
    lines = text.split("\n")
    if not re.fullmatch(r"end\n\n\n@n: \d+\n", "\n".join(lines[-5:])):
        raise Failure(f"the end output and the map are missing; output ends {lines[-6:]!r}")
    cut = [line for line in lines[:-5] if not LINE.match(line)]
    if cut:
        raise Failure(f"{len(cut)} lines are cut or garbled, e.g. {cut[0]!r}")


def children_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except FileNotFoundError:
        return []


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid, timeout=3):
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            raise Failure(f"the -c child {pid} was left running")
        time.sleep(0.05)


def running(argv):
    """Pids of the processes whose command line is argv."""
    wanted = ("\0".join(argv) + "\0").encode()
    pids = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if f.read() == wanted and alive(int(entry)):
                    pids.append(int(entry))
        except (OSError, ValueError):
            pass
    return pids


def the_child(process, timeout=5):
    deadline = time.monotonic() + timeout
    while not children_of(process.pid):
        if time.monotonic() > deadline:
            raise Failure("sonde started no -c child")
        time.sleep(0.05)
    return children_of(process.pid)[0]


def stop_blocked_writer(sig):
    process = start(["-e", FLOOD])
    wait_attached(process)
    time.sleep(0.5)  # the pipe is full: sonde is blocked in write()
    process.send_signal(sig)
    time.sleep(0.3)
    text = read_slowly(process.stdout)
    check_flood_output(text, wait_exit(process, 20), process)


def test_sigint_while_stdout_blocked():
    stop_blocked_writer(signal.SIGINT)


def test_sigterm_while_stdout_blocked():
    stop_blocked_writer(signal.SIGTERM)


def test_sighup_while_stdout_blocked():
    stop_blocked_writer(signal.SIGHUP)


def test_second_signal_gives_up_a_write_nobody_reads():
    process = start(["-e", FLOOD])
    wait_attached(process)
    time.sleep(0.5)  # the pipe is full and stays full
    process.send_signal(signal.SIGINT)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    status = wait_exit(process, 5)
    expected = "ERROR: gave up writing the output to stdout: a second signal came while the " \
        "reader took nothing"
    if status != 1 or expected not in stderr_of(process):
        raise Failure(f"status {status}, stderr {stderr_of(process)!r}")


def test_full_disk_is_an_error():
    with open("/dev/full", "w") as full:
        process = start(["-e", FLOOD, "-c", "sleep 61.5"], stdout=full)
        status = wait_exit(process, 10)
    if status != 1 or "cannot write the output to stdout: No space left on device" not in \
            stderr_of(process):
        raise Failure(f"status {status}, stderr {stderr_of(process)!r}")
    left = running(["sleep", "61.5"])
    if left:
        raise Failure(f"the -c child {left} was left running")


def test_closed_pipe_is_an_error():
    process = start(["-e", FLOOD])
    wait_attached(process)
    os.read(process.stdout.fileno(), 100)
    process.stdout.close()
    status = wait_exit(process, 10)
    if status != 1 or "cannot write the output to stdout: Broken pipe" not in stderr_of(process):
        raise Failure(f"status {status}, stderr {stderr_of(process)!r}")


def test_sigint_while_system_floods_the_buffer():
    # Every command system() runs switches tasks, which queues more commands:
    # the buffer never drains, and the signal must still end the run at once.
    process = start(["--unsafe", "-e", 'tracepoint:sched:sched_switch { system("true"); } '
                     'end { printf("end\\n"); }'])
    wait_attached(process)
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    try:
        out, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise Failure("still running 10 s after SIGINT")
    stderr = stderr_of(process)
    if process.returncode != 0 or not out.decode().rstrip("\n").endswith("end"):
        raise Failure(f"status {process.returncode}, stdout ends {out[-80:]!r}, stderr {stderr!r}")
    if not re.search(r"WARNING: \d+ system\(\) commands? (was|were) not run: they came after "
                     r"the stop signal", stderr):
        raise Failure(f"no warning about the commands not run: {stderr!r}")


# Output held until the end of the run: the write error comes with the signal.
MAPS_ONLY = 'interval:ms:10 { @n = count(); }'


def test_signal_with_stdout_on_a_full_disk():
    with open("/dev/full", "w") as full:
        process = start(["-e", MAPS_ONLY], stdout=full)
        wait_attached(process)
        process.send_signal(signal.SIGTERM)
        status = wait_exit(process, 10)
    if status != 1 or "cannot write the output to stdout: No space left on device" not in \
            stderr_of(process):
        raise Failure(f"status {status}, stderr {stderr_of(process)!r}")


def test_signal_with_stdout_a_closed_pipe():
    process = start(["-e", MAPS_ONLY])
    wait_attached(process)
    process.stdout.close()
    process.send_signal(signal.SIGINT)
    status = wait_exit(process, 10)
    if status != 1 or "cannot write the output to stdout: Broken pipe" not in stderr_of(process):
        raise Failure(f"status {status}, stderr {stderr_of(process)!r}")


def test_sighup_stops_the_child_and_prints_the_maps():
    process = start(["-e", MAPS_ONLY, "-c", "sleep 64.5"])
    wait_attached(process)
    child = the_child(process)
    time.sleep(0.2)
    process.send_signal(signal.SIGHUP)
    status = wait_exit(process, 5)
    text = process.stdout.read().decode(errors="replace")
    if status != 0 or not re.fullmatch(r"\n\n@n: \d+\n", text):
        raise Failure(f"status {status}, stdout {text!r}, stderr {stderr_of(process)!r}")
    wait_gone(child)


def test_child_dies_with_sonde_killed():
    process = start(["-e", "begin { }", "-c", "sleep 62.5"])
    wait_attached(process)
    child = the_child(process)
    process.kill()
    process.wait()
    wait_gone(child)


# A -c command that ignores SIGTERM (and SIGINT) is killed a second later.
STUBBORN = """sh -c 'trap "" TERM INT; exec sleep 63.5'"""


def stop_with_stubborn_child(signals):
    process = start(["-e", 'interval:ms:10 { @n = count(); } end { printf("end\\n"); }',
                     "-c", STUBBORN])
    wait_attached(process)
    child = the_child(process)
    time.sleep(0.2)
    for sig in signals:
        process.send_signal(sig)
        time.sleep(0.2)
    status = wait_exit(process, 5)
    text = process.stdout.read().decode(errors="replace")
    if status != 0 or not re.fullmatch(r"end\n\n\n@n: \d+\n", text):
        raise Failure(f"status {status}, stdout {text!r}, stderr {stderr_of(process)!r}")
    wait_gone(child)


def test_child_ignoring_sigterm_is_killed():
    stop_with_stubborn_child([signal.SIGINT])


def test_second_signal_loses_nothing():
    stop_with_stubborn_child([signal.SIGINT, signal.SIGINT])


def test_cat_of_a_fifo_is_interrupted():
    with tempfile.TemporaryDirectory() as directory:
        fifo = os.path.join(directory, "fifo")
        os.mkfifo(fifo)
        writer = os.open(fifo, os.O_RDWR)  # a writer that says no more
        os.write(writer, b"abc\n")
        try:
            process = start(["-e", f'begin {{ cat("{fifo}"); }} end {{ printf("end\\n"); }}'])
            wait_attached(process)
            time.sleep(0.5)
            process.send_signal(signal.SIGINT)
            status = wait_exit(process, 5)
        finally:
            os.close(writer)
    text = process.stdout.read().decode(errors="replace")
    if status != 0 or text != "abc\nend\n\n\n":
        raise Failure(f"status {status}, stdout {text!r}, stderr {stderr_of(process)!r}")


def test_cat_in_end_after_a_signal_reads_the_file():
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
        f.write("contents\n")
        f.flush()
        process = start(["-e", f'interval:s:10 {{ }} end {{ cat("{f.name}"); }}'])
        wait_attached(process)
        process.send_signal(signal.SIGINT)
        status = wait_exit(process, 5)
    text = process.stdout.read().decode(errors="replace")
    if status != 0 or text != "contents\n\n\n":
        raise Failure(f"status {status}, stdout {text!r}, stderr {stderr_of(process)!r}")


def main():
    global SONDE
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sonde", required=True)
    parser.add_argument("only", nargs="*")
    args = parser.parse_args()
    SONDE = os.path.abspath(args.sonde)
    tests = [(name, f) for name, f in globals().items() if name.startswith("test_")]
    passed = failed = 0
    for name, test in tests:
        if args.only and not any(o in name for o in args.only):
            continue
        began = time.monotonic()
        try:
            test()
            passed += 1
            print(f"PASS {name} ({time.monotonic() - began:.1f} s)")
        except Failure as e:
            failed += 1
            print(f"FAIL {name}: {e}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
