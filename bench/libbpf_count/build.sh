#!/usr/bin/env bash
# Builds the hand-written libbpf baseline into OUT (default build-bench/libbpf_count):
# count.bpf.o (clang-19 -target bpf -O2 -g) and the loader `count`.
# Run: sudo OUT/count OUT/count.bpf.o   (Ctrl-C or SIGTERM prints the counts)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/../../scripts/check-needs" bench
out="${1:-$here/../../build-bench/libbpf_count}"
mkdir -p "$out"
arch_include="/usr/include/$(gcc -print-multiarch)"
clang-19 -target bpf -O2 -g -I"$arch_include" -c "$here/count.bpf.c" -o "$out/count.bpf.o"
cc -O2 -Wall -Wextra -o "$out/count" "$here/count.c" $(pkg-config --cflags --libs libbpf)
echo "$out/count $out/count.bpf.o"
