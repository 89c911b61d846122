#!/usr/bin/env python3
"""The example programs of bpftrace 0.26's language reference, run by sonde.

Every code block of language.md that is a program (it has a probe, or is
made of macros, map declarations and config) must parse; those whose probes
this kernel has (begin, end, interval, profile, software, tracepoint) must
also pass the kernel's verifier (`--verify`). The reference is not part of
this repository: it is read from beside it (or SONDE_REFERENCE_LANGUAGE);
without it the test is skipped.

usage: reference_language_examples.py SONDE
"""
import re
import subprocess
import sys

from bpftrace_reference import reference_path

PROBE = re.compile(r"^\s*([A-Za-z_]+:[^\s{]*|begin|end|BEGIN|END)\s*(,.*)?(/.*/)?\s*\{", re.M)
TOP_LEVEL = re.compile(r"^\s*(macro|let @|config|struct|import)\b", re.M)
RUNS_HERE = re.compile(r"^(begin|end|BEGIN|END|interval|i|profile|p|software|s|tracepoint|t)$")

# Blocks that are not programs as written, and why.
NOT_PROGRAMS = [
    (re.compile(r"^\s*import\b", re.M), "imports files the reference does not ship"),
    (re.compile(r"\.\.\.\s*[,;)]|^\s*\.\.\.\s*$", re.M), "elides code with ..."),
    (re.compile(r"^\$\w+ = ", re.M), "has statements outside a probe"),
    (re.compile(r"^end \{\n\s*clear\(@map1\);", re.M), "clears maps another example fills"),
    (re.compile(r"^\s*print\(\"Unrolled\"\)\n\s*print", re.M),
     "omits ';' between statements, which bpftrace's grammar rejects too"),
    (re.compile(r"^\s*side_effects\(\{ printf\(\"hi\"\) \}\)\s*//", re.M),
     "omits ';' between statements, which bpftrace's grammar rejects too"),
    (re.compile(r"^stdin:\d+"), "shows an error message"),
    (re.compile(r"BAD:"), "shows invalid macro uses"),
]


def program_blocks(text):
    for number, (_, code) in enumerate(re.findall(r"```(\w*)\n(.*?)```", text, re.S)):
        stripped = code.lstrip()
        if stripped.startswith("#") and not stripped.startswith(("#include", "#define")):
            continue  # a shell session
        if not PROBE.search(code) and not TOP_LEVEL.search(code):
            continue  # a fragment of statements or a type list
        yield number, re.sub(r"\{\s*\.\.\.\s*\}", "{ }", code)


def run(sonde, *args):
    return subprocess.run([sonde, *args], capture_output=True, text=True, timeout=60,
                          check=False)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sonde = sys.argv[1]
    with open(reference_path("language.md", "SONDE_REFERENCE_LANGUAGE"), encoding="utf-8") as f:
        text = f.read()
    failures = parsed = verified = 0
    for number, program in program_blocks(text):
        reason = next((why for pattern, why in NOT_PROGRAMS if pattern.search(program)), None)
        if reason:
            print(f"SKIP block {number}: {reason}")
            continue
        result = run(sonde, "--emit", "ast", "-e", program)
        if result.returncode != 0:
            print(f"FAIL block {number} does not parse:\n{program}\n{result.stderr}")
            failures += 1
            continue
        parsed += 1
        kinds = {m.group(1).split(":")[0] for m in PROBE.finditer(program)}
        if not kinds or not all(RUNS_HERE.match(kind) for kind in kinds):
            continue
        result = run(sonde, "--verify", "-e", program)
        if result.returncode != 0:
            print(f"FAIL block {number} does not verify:\n{program}\n{result.stderr}")
            failures += 1
            continue
        verified += 1
    print(f"{parsed} example programs parse, {verified} of them verify, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
