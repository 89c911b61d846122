"""`sonde --fmt` over every tool of the bpftrace 0.26 reference: the output
must parse to the same AST as the tool (`--emit ast` of both), formatting it
again must change nothing, and most tools, written in the standard layout
already, must come out byte-identical. Skipped without the reference.

usage: fmt_reference_tools.py SONDE
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "runtime"))
from bpftrace_reference import reference_path  # noqa: E402

# The tools that differ write some commas without the space after them.
MIN_IDENTICAL = 34


def run(sonde, *args, stdin=None):
    return subprocess.run([sonde, *args], input=stdin, capture_output=True, text=True,
                          timeout=60)


def check(sonde, path, workdir):
    """A problem with formatting `path`, or None; and whether it was unchanged."""
    with open(path) as f:
        original = f.read()
    formatted = run(sonde, "--fmt", path)
    if formatted.returncode != 0:
        return f"--fmt failed: {formatted.stderr.strip()[:300]}", False
    copy = os.path.join(workdir, os.path.basename(path))
    with open(copy, "w") as f:
        f.write(formatted.stdout)
    ast_before = run(sonde, "--emit", "ast", path)
    ast_after = run(sonde, "--emit", "ast", copy)
    if ast_before.returncode != 0 or ast_after.stdout != ast_before.stdout:
        return "the formatted tool parses to another AST", False
    again = run(sonde, "--fmt", "-", stdin=formatted.stdout)
    if again.returncode != 0 or again.stdout != formatted.stdout:
        return "formatting the output again changes it", False
    return None, formatted.stdout == original


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sonde = sys.argv[1]
    tools = reference_path("tools", "SONDE_REFERENCE_TOOLS")
    failures = identical = total = 0
    with tempfile.TemporaryDirectory() as workdir:
        for name in sorted(os.listdir(tools)):
            if not name.endswith(".bt"):
                continue
            total += 1
            problem, unchanged = check(sonde, os.path.join(tools, name), workdir)
            identical += unchanged
            status = "FAIL" if problem else ("SAME" if unchanged else "PASS")
            print(f"{status} {name}" + (f": {problem}" if problem else ""))
            failures += bool(problem)
    print(f"{identical} of {total} tools come out byte-identical")
    if identical < MIN_IDENTICAL:
        print(f"FAIL: fewer than {MIN_IDENTICAL} byte-identical")
        failures += 1
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
