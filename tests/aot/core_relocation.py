#!/usr/bin/env python3
"""CO-RE: an artifact that reads struct task_struct's fields is loaded
against a BTF written by write_test_btf (SONDE_BTF), in which they sit at
other offsets; libbpf's log (-d libbpf) must show each field's instruction
patched to the offset of that BTF, and the same artifact must run as the
direct run does against the kernel's own BTF.

    core_relocation.py SONDE SONDE_RUN WRITE_TEST_BTF
"""

import os
import re
import subprocess
import sys
import tempfile

# Only the -c command (sleep) counts: other processes sleep too.
PROGRAM = ('tracepoint:syscalls:sys_enter_nanosleep,tracepoint:syscalls:sys_enter_clock_nanosleep'
           ' /comm == "sleep"/'
           ' { printf("%d %d %s\\n", curtask->pid == pid, curtask->tgid == pid, curtask->comm);'
           ' exit(); }')
EXPECTED_OFFSETS = {"pid": 8, "tgid": 12, "comm": 16}


def main():
    sonde, runner, write_btf = sys.argv[1:4]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        artifact = os.path.join(tmp, "task.aot")
        btf = os.path.join(tmp, "test.btf")
        subprocess.run([sonde, "--aot", artifact, "-e", PROGRAM], check=True)
        subprocess.run([write_btf, btf], check=True)

        env = dict(os.environ, SONDE_BTF=btf)
        moved = subprocess.run([runner, "-d", "libbpf", "--dry-run", artifact], env=env,
                               capture_output=True, text=True, timeout=60)
        for field, offset in EXPECTED_OFFSETS.items():
            # "relo #N: <byte_off> [..] struct task_struct.FIELD (...)" then, for the same
            # relocation, "patched insn #M (ALU/ALU64) imm LOCAL -> TARGET".
            pattern = (rf"relo #(\d+): <byte_off> \[\d+\] struct task_struct\.{field} .*"
                       rf"(?:\n.*)*?relo #\1: patched insn #\d+ \(ALU/ALU64\) imm \d+ -> (\d+)")
            match = re.search(pattern, moved.stderr)
            ok = match is not None and int(match.group(2)) == offset
            print(f"{'PASS' if ok else 'FAIL'} task_struct.{field} relocated to offset {offset}"
                  + ("" if ok else f" (found {match.group(2) if match else 'no patch'})"))
            if not ok:
                failures.append(field)
        if failures:
            print(moved.stderr)

        direct = subprocess.run([sonde, "-e", PROGRAM, "-c", "sleep 0.1"], capture_output=True,
                                text=True, timeout=60)
        from_artifact = subprocess.run([runner, artifact, "-c", "sleep 0.1"],
                                       capture_output=True, text=True, timeout=60)
        same = direct.stdout == from_artifact.stdout and direct.stdout.startswith("1 1 sleep")
        print(f"{'PASS' if same else 'FAIL'} on this kernel the artifact prints what sonde -e does")
        if not same:
            failures.append("same output")
            print(f"  direct: {direct.stdout!r}\n  artifact: {from_artifact.stdout!r}\n"
                  f"  {from_artifact.stderr}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
