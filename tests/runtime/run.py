#!/usr/bin/env python3
"""Runs runtime test cases: the real sonde binary against the real kernel.

A case file (tests/runtime/cases/*.test) holds one or more cases. Each starts
with NAME; the other directives follow, one per line; `#` lines are comments.

    NAME printf of integers
    PROG begin { printf("%d\\n", 1); exit(); }
                              (./progs/ in PROG names the trigger directory too)
    FILE script.bt            instead of PROG: a script, relative to the case file
    ARGS -f json              extra sonde options, split like a shell would;
                              {cases} stands for the case file's directory,
                              ./progs/ for the trigger directory
    PARAMS 1 two              words after the program: its $1, $2, ...
    ENV SONDE_COLOR=always    environment variables for sonde (NAME=VALUE ...)
    TARGET ./progs/sleep_ms 500
                              started first; sonde gets `-p` with its pid
    TARGET_DELAY 300          milliseconds to give TARGET before sonde starts
    TARGET_OPTION --dwarf-pid the option sonde gets TARGET's pid with (-p)
    AFTER ./progs/getppid_loop 10
                              run as `-c` child; ./progs/ is the trigger directory
    EXPECT 1                  stdout, line by line: exact text ...
    EXPECT_REGEX ^\\d+$        ... or a regular expression for the whole line;
                              together they must account for all of stdout
    EXPECT_CONTAINS text      a line of stdout, anywhere (stdout otherwise free)
    EXPECT_ANY_REGEX re       a line of stdout matching re, anywhere (likewise)
    EXPECT_EMPTY              no stdout at all
    EXPECT_STDERR_REGEX re    searched for in stderr (several allowed)
    EXIT 0                    expected exit status (default 0)
    TIMEOUT 10                seconds before the run is killed (default 20)

Prints one line per case and `N passed, N failed`; exits 1 if any failed.

With --aot SONDE_RUN, each case is compiled with `sonde --aot` and the
artifact run by SONDE_RUN, against the same expectations as the direct run.
A case whose compile step fails, or writes no artifact (`-- --help`), is
judged on that step's output (compile errors are the same); otherwise on the run's output, with the compile step's
stderr before the run's (compile warnings are shown there); the runner is
started through a link named `sonde`, so that `comm` is the same. Cases that
only make sense without a run (-l, --emit, --verify, ...), cases with
--metrics (sonde-run does not serve it) and scripts an artifact cannot carry
are skipped.
"""

import argparse
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time

DEFAULT_TIMEOUT = 20
LIST_DIRECTIVES = {"EXPECT", "EXPECT_REGEX", "EXPECT_CONTAINS", "EXPECT_ANY_REGEX",
                   "EXPECT_STDERR_REGEX"}
SINGLE_DIRECTIVES = {"PROG", "FILE", "ARGS", "PARAMS", "ENV", "TARGET", "TARGET_DELAY",
                     "TARGET_OPTION", "AFTER", "EXIT", "TIMEOUT"}
FLAG_DIRECTIVES = {"EXPECT_EMPTY"}

# sonde-run's options: what a case's ARGS keep when running an artifact
# (the compile step gets them all).
RUN_OPTIONS_WITH_VALUE = {"-p", "--pid", "-c", "--cmd", "-o", "--output", "-f", "-B", "--map",
                          "--dwarf-pid"}
RUN_FLAGS = {"-q", "-v", "--dry-run", "--unsafe", "--no-warnings"}
# Options after which there is nothing to run from an artifact, and --metrics,
# which sonde-run does not serve.
COMPILE_ONLY = {"-l", "--list", "--emit", "--emit-elf", "--verify", "--info", "-h", "--help", "-V",
                "--version", "-d", "--metrics"}
AOT_UNSUPPORTED = "--aot cannot carry"


class CaseError(Exception):
    pass


def parse_cases(path):
    cases = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            directive, _, value = line.partition(" ")
            where = f"{path}:{number}"
            if directive == "NAME":
                cases.append({"NAME": value, "where": where, "stdout": [],
                              "EXPECT_CONTAINS": [], "EXPECT_ANY_REGEX": [],
                              "EXPECT_STDERR_REGEX": []})
                continue
            if not cases:
                raise CaseError(f"{where}: {directive} before the first NAME")
            case = cases[-1]
            if directive in ("EXPECT", "EXPECT_REGEX"):
                case["stdout"].append((directive, value))
            elif directive in LIST_DIRECTIVES:
                case[directive].append(value)
            elif directive in SINGLE_DIRECTIVES:
                if directive in case:
                    raise CaseError(f"{where}: {directive} given twice")
                case[directive] = value
            elif directive in FLAG_DIRECTIVES:
                case[directive] = True
            else:
                raise CaseError(f"{where}: unknown directive {directive}")
    for case in cases:
        if ("PROG" in case) == ("FILE" in case):
            raise CaseError(f"{case['where']}: a case needs exactly one of PROG and FILE")
    return cases


def trigger(text, progs):
    return text.replace("./progs/", progs.rstrip("/") + "/")


def case_args(case, case_dir, progs=""):
    args = case.get("ARGS", "").replace("{cases}", case_dir)
    return shlex.split(trigger(args, progs) if progs else args)


def process_options(case, progs, target_pid):
    options = []
    if target_pid:
        options += [case.get("TARGET_OPTION", "-p"), str(target_pid)]
    if "AFTER" in case:
        options += ["-c", trigger(case["AFTER"], progs)]
    return options


def command_for(case, sonde, progs, case_dir, target_pid=None, aot_file=None):
    command = ([sonde] + (["--aot", aot_file] if aot_file else []) +
               case_args(case, case_dir, progs))
    command += process_options(case, progs, target_pid)
    if "PROG" in case:
        command += ["-e", trigger(case["PROG"], progs)]
    else:
        command.append(os.path.join(case_dir, case["FILE"]))
    return command + shlex.split(case.get("PARAMS", ""))


def run_options(args):
    """The ARGS sonde-run accepts (-d only as -d libbpf)."""
    kept = []
    i = 0
    while i < len(args):
        word = args[i]
        name = word.split("=", 1)[0]
        if name in RUN_OPTIONS_WITH_VALUE and "=" not in word and i + 1 < len(args):
            kept += args[i:i + 2]
            i += 2
            continue
        if name in RUN_OPTIONS_WITH_VALUE or name in RUN_FLAGS:
            kept.append(word)
        i += 1
    return kept


def runs_from_artifact(case, case_dir):
    """False for cases with a compile-only option, also in a cluster (-lv)."""
    for word in case_args(case, case_dir):
        if word.split("=", 1)[0] in COMPILE_ONLY:
            return False
        if not word.startswith("--") and word[:2] in COMPILE_ONLY:
            return False
    return True


def runner_command_for(case, runner, progs, case_dir, target_pid, aot_file):
    return ([runner] + run_options(case_args(case, case_dir, progs)) +
            process_options(case, progs, target_pid) + [aot_file] +
            shlex.split(case.get("PARAMS", "")))


def kill_group(process):
    """Ends the run's whole process group, children included."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)


def check_stdout(case, stdout):
    lines = stdout.splitlines()
    problems = []
    if case.get("EXPECT_EMPTY") and stdout:
        problems.append("expected no stdout")
    if case["stdout"]:
        for i, (kind, expected) in enumerate(case["stdout"]):
            actual = lines[i] if i < len(lines) else None
            ok = actual is not None and (
                actual == expected if kind == "EXPECT" else re.fullmatch(expected, actual))
            if not ok:
                problems.append(f"stdout line {i + 1}: expected {kind} {expected!r}, "
                                f"got {actual!r}")
                break
        else:
            if len(lines) > len(case["stdout"]):
                problems.append(f"unexpected stdout line {len(case['stdout']) + 1}: "
                                f"{lines[len(case['stdout'])]!r}")
    for expected in case["EXPECT_CONTAINS"]:
        if expected not in lines:
            problems.append(f"stdout has no line {expected!r}")
    for pattern in case["EXPECT_ANY_REGEX"]:
        if not any(re.search(pattern, line) for line in lines):
            problems.append(f"no stdout line matches {pattern!r}")
    return problems


def run_case(case, sonde, progs, case_dir, runner=None):
    target = None
    if "TARGET" in case:
        target = subprocess.Popen(shlex.split(trigger(case["TARGET"], progs)),
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  start_new_session=True)
        time.sleep(int(case.get("TARGET_DELAY", "0")) / 1000)
    try:
        pid = target.pid if target else None
        if runner:
            return run_artifact(case, sonde, runner, progs, case_dir, pid)
        return run_sonde(case, sonde, progs, case_dir, pid)
    finally:
        if target:
            kill_group(target)
            target.wait()


def run_artifact(case, sonde, runner, progs, case_dir, target_pid):
    """Compiles with --aot, then runs the artifact: None when skipped."""
    with tempfile.TemporaryDirectory() as tmp:
        aot_file = os.path.join(tmp, "script.aot")
        runner_as_sonde = os.path.join(tmp, "sonde")
        os.symlink(runner, runner_as_sonde)
        compile_command = command_for(case, sonde, progs, case_dir, target_pid, aot_file)
        compiled = subprocess.run(compile_command, stdin=subprocess.DEVNULL, capture_output=True,
                                  text=True, errors="replace", timeout=DEFAULT_TIMEOUT,
                                  env=case_env(case))
        if compiled.returncode != 0 or not os.path.exists(aot_file):
            if AOT_UNSUPPORTED in compiled.stderr:
                return None
            # An error, or an answer without an artifact (`-- --help`).
            return judge(case, compiled.returncode, False, 0, compiled.stdout, compiled.stderr,
                         compile_command)
        return run_sonde(case, sonde, progs, case_dir, target_pid,
                         runner_command_for(case, runner_as_sonde, progs, case_dir, target_pid,
                                            aot_file),
                         compile_stderr=compiled.stderr)


def case_env(case):
    env = dict(os.environ)
    env.update(word.split("=", 1) for word in shlex.split(case.get("ENV", "")))
    return env


def run_sonde(case, sonde, progs, case_dir, target_pid, command=None, compile_stderr=None):
    command = command or command_for(case, sonde, progs, case_dir, target_pid)
    timeout = float(case.get("TIMEOUT", DEFAULT_TIMEOUT))
    env = case_env(case)
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, errors="replace",
                               start_new_session=True, env=env)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        kill_group(process)
        stdout, stderr = process.communicate()
        timed_out = True
    kill_group(process)  # whatever the run left behind
    if compile_stderr is not None:
        stderr = compile_stderr + stderr
    return judge(case, process.returncode, timed_out, timeout, stdout, stderr, command)


def judge(case, returncode, timed_out, timeout, stdout, stderr, command):
    problems = []
    if timed_out:
        problems.append(f"timed out after {timeout:g}s")
    else:
        expected_exit = int(case.get("EXIT", "0"))
        if returncode != expected_exit:
            problems.append(f"exit status {returncode}, expected {expected_exit}")
    problems += check_stdout(case, stdout)
    for pattern in case["EXPECT_STDERR_REGEX"]:
        if not re.search(pattern, stderr, re.MULTILINE):
            problems.append(f"stderr does not match {pattern!r}")
    return problems, command, stdout, stderr


def run_files(files, sonde, progs, verbose=True, runner=None):
    passed = failed = skipped = 0
    for path in files:
        try:
            cases = parse_cases(path)
        except (CaseError, OSError) as e:
            if verbose:
                print(f"ERROR {e}")
            failed += 1
            continue
        for case in cases:
            case_dir = os.path.dirname(path)
            result = None
            if not runner or runs_from_artifact(case, case_dir):
                result = run_case(case, sonde, progs, case_dir, runner)
            if result is None:
                skipped += 1
                if verbose:
                    print(f"SKIP {case['NAME']} (not from an artifact)")
                continue
            problems, command, stdout, stderr = result
            if problems:
                failed += 1
                if verbose:
                    print(f"FAIL {case['NAME']} ({case['where']})")
                    print(f"  command: {shlex.join(command)}")
                    for problem in problems:
                        print(f"  {problem}")
                    print("  stdout:\n" + indent(stdout) + "  stderr:\n" + indent(stderr))
            else:
                passed += 1
                if verbose:
                    print(f"PASS {case['NAME']}")
    if runner:
        return passed, failed, skipped
    return passed, failed


def indent(text):
    return "".join(f"    {line}\n" for line in text.splitlines())


# --self-test: the runner against a fake sonde that runs PROG as shell code.
FAKE_SONDE = """#!/bin/sh
child=""
while [ $# -gt 0 ]; do
  case "$1" in
    -c) child="$2"; shift 2 ;;
    -e) prog="$2"; shift 2 ;;
    -*) shift ;;
    *) prog=$(cat "$1"); shift ;;
  esac
done
[ -n "$child" ] && $child
eval "$prog"
"""

SELF_TEST_CASES = """\
NAME exact lines
PROG echo 1; echo two
EXPECT 1
EXPECT two

NAME regex and stderr
PROG echo 12345; echo oops >&2
EXPECT_REGEX \\d+
EXPECT_STDERR_REGEX ^oops$

NAME contains and exit status
PROG echo a; echo b; echo c; exit 3
EXPECT_CONTAINS b
EXIT 3

NAME child runs first
AFTER echo from-child
PROG echo from-script
EXPECT from-child
EXPECT from-script

NAME script file
FILE script.sh
EXPECT from-file
"""

# Each of these must fail.
SELF_TEST_FAILURES = """\
NAME wrong text
PROG echo 1
EXPECT 2

NAME extra stdout
PROG echo 1; echo 2
EXPECT 1

NAME missing stdout
PROG true
EXPECT 1

NAME wrong exit
PROG exit 4

NAME not empty
PROG echo x
EXPECT_EMPTY

NAME timeout
PROG sleep 30 & echo $! > PIDFILE; wait
TIMEOUT 1
"""


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        sonde = os.path.join(tmp, "sonde")
        with open(sonde, "w") as f:
            f.write(FAKE_SONDE)
        os.chmod(sonde, 0o755)
        with open(os.path.join(tmp, "script.sh"), "w") as f:
            f.write("echo from-file\n")
        good = os.path.join(tmp, "good.test")
        with open(good, "w") as f:
            f.write(SELF_TEST_CASES)
        pidfile = os.path.join(tmp, "sleep.pid")
        bad = os.path.join(tmp, "bad.test")
        with open(bad, "w") as f:
            f.write(SELF_TEST_FAILURES.replace("PIDFILE", pidfile))
        bad_syntax = os.path.join(tmp, "syntax.test")
        with open(bad_syntax, "w") as f:
            f.write("NAME x\nPROG true\nBOGUS 1\n")

        results = {
            "good cases pass": run_files([good], sonde, tmp, verbose=False) == (5, 0),
            "bad cases fail": run_files([bad], sonde, tmp, verbose=False) == (0, 6),
            "unknown directive fails": run_files([bad_syntax], sonde, tmp, verbose=False)
            == (0, 1),
        }
        with open(pidfile) as f:
            sleeper = int(f.read())
        try:
            os.kill(sleeper, 0)
            results["timeout leaves no process"] = False
        except ProcessLookupError:
            results["timeout leaves no process"] = True
    for name, ok in results.items():
        print(f"{'PASS' if ok else 'FAIL'} self-test: {name}")
    return all(results.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sonde", help="the sonde binary")
    parser.add_argument("--progs", help="directory of the trigger programs")
    parser.add_argument("--self-test", action="store_true",
                        help="check the runner itself against a fake sonde")
    parser.add_argument("--aot", metavar="SONDE_RUN",
                        help="compile each case with sonde --aot and run it with SONDE_RUN")
    parser.add_argument("cases", nargs="*", help="case files")
    args = parser.parse_args()
    if args.self_test:
        return 0 if self_test() else 1
    if not args.sonde or not args.progs or not args.cases:
        parser.error("--sonde, --progs and at least one case file are needed")
    if args.aot:
        passed, failed, skipped = run_files(args.cases, os.path.abspath(args.sonde), args.progs,
                                            runner=os.path.abspath(args.aot))
        print(f"{passed} passed, {failed} failed, {skipped} skipped")
    else:
        passed, failed = run_files(args.cases, os.path.abspath(args.sonde), args.progs)
        print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
