#!/bin/sh
# Without root, sonde says in one line what it needs, and exits 1.
# Usage: not_root.sh SONDE_BINARY
set -u
# A copy in a directory anyone can enter: the build tree may not be.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$1" "$dir/sonde"
chmod 755 "$dir" "$dir/sonde"
out=$(cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
  "$dir/sonde" -e 'begin { exit(); }' 2>&1)
status=$?
expected="ERROR: loading BPF programs needs root (or CAP_BPF and CAP_PERFMON): run sonde as root, e.g. with sudo"
if [ "$status" -ne 1 ] || [ "$out" != "$expected" ]; then
  echo "FAIL: status $status, output: $out"
  exit 1
fi
echo "not-root message OK"
