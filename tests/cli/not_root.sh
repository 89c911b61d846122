#!/bin/sh
# Without root, sonde says in one line what it needs, and exits 1; --info
# prints what it can tell and says what needs root.
# Usage: not_root.sh SONDE_BINARY
set -u
# A copy in a directory anyone can enter: the build tree may not be.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$1" "$dir/sonde"
chmod 755 "$dir" "$dir/sonde"
as_nobody() {
  (cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all "$dir/sonde" "$@")
}
failed=0

out=$(as_nobody --info 2>&1)
status=$?
if [ "$status" -ne 0 ] || ! echo "$out" | grep -q '^  kernel: ' ||
  ! echo "$out" | grep -q '^  tracepoint: *unknown, reading .*/events needs root$'; then
  echo "FAIL: --info: status $status, output: $out"
  failed=1
fi

out=$(as_nobody -e 'begin { exit(); }' 2>&1)
status=$?
expected="ERROR: loading BPF programs needs root (or CAP_BPF and CAP_PERFMON): run sonde as root, e.g. with sudo"
if [ "$status" -ne 1 ] || [ "$out" != "$expected" ]; then
  echo "FAIL: status $status, output: $out"
  failed=1
fi
# Tracepoints are missing only because tracefs cannot be read: said so.
why="reading tracefs (/sys/kernel/tracing/events) needs root"
out=$(as_nobody -e 'tracepoint:sched:sched_switch { }' 2>&1 | head -1)
if [ "$out" != "stdin:1:1-30: ERROR: No probes matched 'tracepoint:sched:sched_switch': $why" ]; then
  echo "FAIL: tracepoint script: $out"
  failed=1
fi
out=$(as_nobody -l 'tracepoint:sched:*' 2>&1)
if [ "$out" != "ERROR: no probes match 'tracepoint:sched:*': $why" ]; then
  echo "FAIL: -l: $out"
  failed=1
fi
[ "$failed" -eq 0 ] && echo "not-root messages OK"
exit "$failed"
