#!/bin/sh
# Every failed write of output is reported in one line on stderr, with a
# non-zero status: -o to a full disk, stdout on a full disk for a trace,
# --emit llvm, --emit elf and -l.
# Usage: write_errors.sh SONDE_BINARY
set -u
sonde=$1
failures=0
errfile=$(mktemp)
trap 'rm -f "$errfile"' EXIT

check() { # NAME EXPECTED_STDERR COMMAND...
  name=$1 expected=$2
  shift 2
  "$@" >/dev/full 2>"$errfile"
  status=$?
  err=$(grep -v '^Attached' "$errfile")
  if [ "$status" -eq 0 ] || [ "$err" != "$expected" ]; then
    echo "FAIL $name: status $status, stderr: $err"
    failures=$((failures + 1))
  else
    echo "PASS $name"
  fi
}

full="No space left on device"
check "-o /dev/full" "ERROR: cannot write the output to /dev/full: $full" \
  "$sonde" -o /dev/full -e 'begin { printf("hi\n"); exit(); }'
check "trace to stdout" "ERROR: cannot write the output to stdout: $full" \
  "$sonde" -e 'begin { printf("hi\n"); exit(); }'
check "--emit llvm" "ERROR: cannot write the output to stdout: $full" \
  "$sonde" --emit llvm -e 'begin { exit(); }'
check "--emit elf" "ERROR: cannot write the output to /dev/full: $full" \
  "$sonde" --emit elf -o /dev/full -e 'begin { exit(); }'
check "-l" "ERROR: cannot write the output to stdout: $full" \
  "$sonde" -l 'tracepoint:sched:*'
exit $((failures > 0))
