#!/usr/bin/env bash
# Builds the hand-written per-event programs into OUT (default
# build-bench/libbpf_events): NAME.bpf.o for each NAME.bpf.c here (clang-19
# -target bpf -O2 -g) and the loader `loader`.
# Run: sudo OUT/loader OUT/NAME.bpf.o   (Ctrl-C or SIGTERM detaches)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/../../scripts/check-needs" bench
out="${1:-$here/../../build-bench/libbpf_events}"
mkdir -p "$out"
arch_include="/usr/include/$(gcc -print-multiarch)"
for source in "$here"/*.bpf.c; do
  name="$(basename "$source" .c)"
  clang-19 -target bpf -O2 -g -I"$arch_include" -c "$source" -o "$out/$name.o"
done
cc -O2 -Wall -Wextra -o "$out/loader" "$here/loader.c" $(pkg-config --cflags --libs libbpf)
echo "$out/loader"
