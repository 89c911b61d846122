#!/usr/bin/env python3
"""sonde-run's refusals, each one line on stderr and exit status 1: a damaged,
truncated or newer artifact, other parameters than those compiled in, a
compile-time option, a tracepoint field the running kernel lays out
otherwise, another build of a usdt probe's binary; and sonde --aot's refusal of what CO-RE does not relocate.

    runner_cli.py SONDE SONDE_RUN PROGS
"""

import json
import os
import struct
import subprocess
import sys
import tempfile

HEADER = struct.Struct("<8sIIQQQ")  # magic, version, header size, sizes, checksum


def fnv1a(data):
    value = 0xcbf29ce484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return value


def split(path):
    data = open(path, "rb").read()
    magic, version, header_size, description_size, object_size, _ = HEADER.unpack_from(data)
    description = json.loads(data[header_size:header_size + description_size])
    return version, description, data[header_size + description_size:]


def join(path, version, description, elf):
    text = json.dumps(description).encode()
    header = HEADER.pack(b"SONDEAOT", version, HEADER.size, len(text), len(elf),
                         fnv1a(text + elf))
    with open(path, "wb") as f:
        f.write(header + text + elf)


def main():
    sonde, runner, progs = sys.argv[1:4]
    failures = []

    def run(argv):
        return subprocess.run(argv, capture_output=True, text=True, timeout=60)

    def expect_refusal(name, argv, *needles):
        result = run(argv)
        lines = result.stderr.strip().splitlines()
        ok = (result.returncode == 1 and len(lines) == 1 and lines[0].startswith("ERROR: ") and
              all(n in lines[0] for n in needles))
        print(f"{'PASS' if ok else 'FAIL'} {name}")
        if not ok:
            failures.append(name)
            print(f"  exit {result.returncode}, stderr:\n{result.stderr}")

    with tempfile.TemporaryDirectory() as tmp:
        artifact = os.path.join(tmp, "params.aot")
        compiled = run([sonde, "--aot", artifact, "-e",
                        'begin { printf("%d %s\\n", $1, str($2)); exit(); }', "7", "seven"])
        assert compiled.returncode == 0, compiled.stderr
        same = run([runner, artifact, "7", "seven"])
        print(f"{'PASS' if same.stdout.startswith('7 seven') else 'FAIL'} the same parameters run")
        if not same.stdout.startswith("7 seven"):
            failures.append("same parameters")
        expect_refusal("other positional parameters", [runner, artifact, "8", "seven"],
                       "'7 seven'", "'8 seven'")
        expect_refusal("a compile-time option", [runner, "-k", artifact], "-k", "fixed")
        expect_refusal("not an artifact", [runner, "/etc/hostname"], "not a sonde artifact")

        data = open(artifact, "rb").read()
        for name, damaged, needle in [
                ("a truncated artifact", data[:len(data) - 100], "truncated"),
                ("a header cut short", data[:20], "truncated"),
                ("a flipped byte", data[:200] + bytes([data[200] ^ 1]) + data[201:], "checksum"),
        ]:
            path = os.path.join(tmp, "damaged.aot")
            open(path, "wb").write(damaged)
            expect_refusal(name, [runner, path], needle)

        version, description, elf = split(artifact)
        newer = os.path.join(tmp, "newer.aot")
        join(newer, version + 1, description, elf)
        expect_refusal("a newer format version", [runner, newer], f"version {version + 1}")

        tracepoint = os.path.join(tmp, "tracepoint.aot")
        compiled = run([sonde, "--aot", tracepoint, "-e",
                        "tracepoint:sched:sched_process_exit\n"
                        "{ printf(\"%d\\n\", args.pid); exit(); }"])
        assert compiled.returncode == 0, compiled.stderr
        version, description, elf = split(tracepoint)
        fields = description["tracepoint_fields"]
        assert fields and fields[0]["field"] == "pid", fields
        fields[0]["offset"] += 8
        join(tracepoint, version, description, elf)
        expect_refusal("a tracepoint field at another offset", [runner, tracepoint],
                       "stdin:2", "field 'pid'", "sched_process_exit")

        usdt = os.path.join(tmp, "usdt.aot")
        target = os.path.join(os.path.abspath(progs), "probe_target")
        compiled = run([sonde, "--aot", usdt, "-e",
                        f"usdt:{target}:sonde:loop {{ printf(\"%d\\n\", arg0); }}"])
        assert compiled.returncode == 0, compiled.stderr
        version, description, elf = split(usdt)
        description["usdt_binaries"][0]["build_id"] = "00" * 20
        join(usdt, version, description, elf)
        expect_refusal("another build of a usdt binary", [runner, usdt], "another build of",
                       "probe_target")

        for name, expression, needle in [
                ("a bitfield", "curtask->sched_reset_on_fork",
                 "the offset of struct task_struct's field 'sched_reset_on_fork'"),
                ("sizeof of a kernel struct", "sizeof(struct task_struct)",
                 "the layout of struct task_struct"),
                ("a step over a kernel struct", "(uint64)(curtask + 1)",
                 "the size of struct task_struct")]:
            result = run([sonde, "--aot", os.path.join(tmp, "k.aot"), "-e",
                          "tracepoint:syscalls:sys_enter_nanosleep { printf(\"%d\\n\", "
                          + expression + "); }"])
            ok = result.returncode == 1 and "cannot carry " + needle in result.stderr
            print(f"{'PASS' if ok else 'FAIL'} --aot refuses {name}")
            if not ok:
                failures.append(name)
                print(result.stderr)
    print(f"{'FAILED: ' + ', '.join(failures) if failures else 'all passed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
