"""`sonde --fmt` on the small scripts in fmt_cases/: NAME.bt must come out as
NAME.expected (also when read from stdin, with `--fmt -`), and formatting that
again must change nothing; a NAME.bt with NAME.expected_error instead must
fail with exit 1 and that error on stderr.

usage: fmt_cases.py SONDE
"""
import os
import subprocess
import sys

CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fmt_cases")


def fmt(sonde, *args, stdin=None):
    return subprocess.run([sonde, "--fmt", *args], input=stdin, capture_output=True, text=True,
                          cwd=CASES, timeout=60)


def read(name):
    with open(os.path.join(CASES, name)) as f:
        return f.read()


def check(sonde, name):
    """What is wrong with case `name`, or None."""
    script = name + ".bt"
    if os.path.exists(os.path.join(CASES, name + ".expected_error")):
        result = fmt(sonde, script)
        if result.returncode != 1 or result.stdout or result.stderr != read(
                name + ".expected_error"):
            return f"expected exit 1 and the error, got {result.returncode}: {result.stderr!r}"
        return None
    expected = read(name + ".expected")
    from_file = fmt(sonde, script)
    if from_file.returncode != 0 or from_file.stdout != expected:
        return f"output differs from {name}.expected:\n{from_file.stdout}{from_file.stderr}"
    from_stdin = fmt(sonde, "-", stdin=read(script))
    if from_stdin.returncode != 0 or from_stdin.stdout != expected:
        return "--fmt - on stdin differs from --fmt FILE"
    again = fmt(sonde, "-", stdin=expected)
    if again.returncode != 0 or again.stdout != expected:
        return "formatting the output again changes it"
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    failures = 0
    for name in sorted(f[:-3] for f in os.listdir(CASES) if f.endswith(".bt")):
        problem = check(sys.argv[1], name)
        print(("FAIL " if problem else "PASS ") + name + (": " + problem if problem else ""))
        failures += bool(problem)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
