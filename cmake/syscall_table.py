#!/usr/bin/env python3
"""Writes the x86_64 syscall table (name, number) from the kernel's uapi header.

Tracepoints name a few syscalls differently from the header (sys_enter_newstat
is stat), and kernels newer than the header have more syscalls; both are
added below. Each number was checked against the `__syscall_nr` field of its
tracepoint on Linux 6.18.
"""
import re
import sys

header, output = sys.argv[1], sys.argv[2]
entries = []
with open(header) as f:
    for line in f:
        m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
        if m:
            entries.append((m.group(1), int(m.group(2))))
TRACEPOINT_NAMES = [("newstat", 4), ("newfstat", 5), ("newlstat", 6), ("sendfile64", 40),
                    ("newuname", 63), ("umount", 166)]
NEWER_SYSCALLS = [("uretprobe", 335), ("uprobe", 336), ("cachestat", 451), ("fchmodat2", 452), ("map_shadow_stack", 453),
                  ("futex_wake", 454), ("futex_wait", 455), ("futex_requeue", 456),
                  ("statmount", 457), ("listmount", 458), ("lsm_get_self_attr", 459),
                  ("lsm_set_self_attr", 460), ("lsm_list_modules", 461), ("mseal", 462),
                  ("setxattrat", 463), ("getxattrat", 464), ("listxattrat", 465),
                  ("removexattrat", 466), ("open_tree_attr", 467), ("file_getattr", 468),
                  ("file_setattr", 469)]
known = {name for name, _ in entries}
entries += [(n, nr) for n, nr in NEWER_SYSCALLS if n not in known]
# Aliases last among equal numbers, so a number's name is the header's.
aliases = [(n, nr) for n, nr in TRACEPOINT_NAMES if n not in known]
entries = sorted(entries, key=lambda e: e[1]) + aliases
entries.sort(key=lambda e: e[1])  # stable: header names stay first

with open(output, "w") as f:
    f.write("// Generated from %s by cmake/syscall_table.py.\n" % header)
    for name, number in entries:
        f.write('{"%s", %d},\n' % (name, number))
