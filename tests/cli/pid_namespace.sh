#!/bin/sh
# pid and tid are as sonde's pid namespace sees them (curr_ns, the default),
# pid(init) and tid(init) as the initial namespace does: run in a new pid
# namespace, sonde is pid 1 there, and its -c child pid 2, which cpid agrees
# with.
# Usage: pid_namespace.sh SONDE_BINARY GETPPID_LOOP
set -u
sonde=$1
getppid_loop=$2
failed=0

check() { # what, expected pattern, output
  if ! echo "$3" | grep -Eq "$2"; then
    echo "FAIL: $1: expected /$2/, got: $3"
    failed=1
  fi
}

out=$(unshare -fp --mount-proc "$sonde" -q -e \
  'begin { printf("%d %d %d %d %d\n", pid, pid(curr_ns), tid, pid(init) > 1, tid(init) > 1); exit(); }' 2>&1)
check "begin in a new namespace" '^1 1 1 1 1$' "$out"

out=$(unshare -fp --mount-proc "$sonde" -q -c "$getppid_loop 1" -e \
  'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("%d %d %d\n", pid, tid(curr_ns), pid(init) != pid); exit(); }' 2>&1)
check "the -c child in a new namespace" '^2 2 1$' "$out"

out=$("$sonde" -q -e 'begin { printf("%d %d\n", pid == pid(init), tid == tid(init)); exit(); }' 2>&1)
check "the initial namespace" '^1 1$' "$out"

exit $failed
