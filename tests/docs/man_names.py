#!/usr/bin/env python3
"""Every name the man page documents is one sonde knows.

Reads the tags of man/man8/sonde.8 (the line after each .TP) in the sections
OPTIONS, BUILTIN VARIABLES, FUNCTIONS, CONFIGURATION and ENVIRONMENT, and
proves each name is accepted: an option is not an "unknown option", a
variable or function is not unknown to the type checker, a config variable
is recognised in a config block, an environment variable is read by the
binary.

usage: man_names.py SONDE
"""
import os
import re
import shlex
import subprocess
import sys

PAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "man", "man8",
                    "sonde.8")
SECTIONS = ("OPTIONS", "BUILTIN VARIABLES", "FUNCTIONS", "CONFIGURATION", "ENVIRONMENT")


def tags_by_section(text):
    """The tag line of every .TP, by section (.SH)."""
    tags = {}
    section = None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(".SH "):
            section = line[4:].strip().strip('"')
        elif line == ".TP" and i + 1 < len(lines):
            tags.setdefault(section, []).append(lines[i + 1])
    return tags


def bold_words(tag):
    """The words a tag line sets in bold: .B all, .BI and .BR every other."""
    macro, _, rest = tag.partition(" ")
    rest = re.sub(r"\\f[BIRP]", "", rest).replace("\\-", "-").replace("\\&", "")
    try:
        words = shlex.split(rest)
    except ValueError:
        words = rest.split()
    if macro == ".B":
        return words
    if macro in (".BI", ".BR"):
        return words[0::2]
    return []


def names(tag, pattern):
    found = []
    for word in bold_words(tag):
        for match in re.finditer(pattern, word):
            found.append(match.group(0))
    return found


def sonde_errors(sonde, *args):
    result = subprocess.run([sonde, *args], stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=30, check=False)
    return result.stdout + result.stderr


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sonde = sys.argv[1]
    with open(PAGE, encoding="utf-8") as f:
        tags = tags_by_section(f.read())
    missing = [s for s in SECTIONS if not tags.get(s)]
    if missing:
        sys.exit(f"FAIL: no tags found in sections {missing} of {PAGE}")
    with open(sonde, "rb") as f:
        binary = f.read()

    checks = []  # (kind, name, problem or None)
    for tag in tags["OPTIONS"]:
        for option in names(tag, r"^--?[A-Za-z][-\w]*"):
            out = sonde_errors(sonde, option)
            checks.append(("option", option, "unknown option" in out and out.strip()))
    for tag in tags["BUILTIN VARIABLES"]:
        for name in names(tag, r"^[a-z_][a-z_0-9]*[a-z0-9]"):
            out = sonde_errors(sonde, "--emit", "llvm", "-e", f"begin {{ print({name}); }}")
            checks.append(("variable", name, "Unknown identifier" in out and out.strip()))
    for tag in tags["FUNCTIONS"]:
        for name in names(tag, r"^[a-z_][a-z_0-9]*(?=\()|^[a-z_][a-z_0-9]*$"):
            out = sonde_errors(sonde, "--emit", "llvm", "-e", f"begin {{ {name}(); }}")
            checks.append(("function", name, "Unknown function" in out and out.strip()))
    for tag in tags["CONFIGURATION"]:
        for name in names(tag, r"^[a-z_][a-z_0-9]*$"):
            out = sonde_errors(sonde, "--emit", "llvm", "-e",
                               f"config = {{ {name} = 1 }} begin {{ exit(); }}")
            checks.append(("config variable", name, "Unrecognized config" in out and out.strip()))
    for tag in tags["ENVIRONMENT"]:
        for name in names(tag, r"^[A-Z][A-Z_0-9]*[A-Z0-9]$"):
            checks.append(("environment variable", name,
                           name.encode() not in binary and "not read by the binary"))

    failures = [(kind, name, problem) for kind, name, problem in checks if problem]
    for kind, name, problem in failures:
        print(f"FAIL {kind} {name}: {problem}")
    counts = {}
    for kind, _, _ in checks:
        counts[kind] = counts.get(kind, 0) + 1
    print(", ".join(f"{n} {kind}s" for kind, n in counts.items()) + f" checked, "
          f"{len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
