#!/usr/bin/env bash
# Parse benchmark: generates a 5,000-line script, builds the driver with the
# parser sources at -O2 into build-bench-parse/, and prints the parse time.
#
#   bench/parse/run.sh [LINES]
set -euo pipefail

lines=${1:-5000}
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/check-needs" build
out=$root/build-bench-parse
mkdir -p "$out/grammar" "$out/obj"

cxx=${CXX:-g++}
launcher=()
if command -v ccache > /dev/null; then
  launcher=(ccache)
fi
flags=(-std=c++20 -O2 -DNDEBUG -I"$root/src" -I"$out/grammar" -I"$root/grammar")

bison -Wall -Wno-counterexamples --defines="$out/grammar/parser.tab.hh" \
  -o "$out/grammar/parser.tab.cc" "$root/grammar/parser.yy"
flex --header-file="$out/grammar/lexer.yy.hh" -o "$out/grammar/lexer.yy.cc" \
  "$root/grammar/lexer.l"

sources=("$root"/src/common/*.cpp "$root"/src/ast/*.cpp "$root"/src/parser/*.cpp "$out/grammar/parser.tab.cc"
         "$out/grammar/lexer.yy.cc" "$root/bench/parse/parse_bench.cpp")
objects=()
pids=()
for src in "${sources[@]}"; do
  obj=$out/obj/$(basename "$src").o
  objects+=("$obj")
  "${launcher[@]}" "$cxx" "${flags[@]}" -c "$src" -o "$obj" &
  pids+=($!)
done
for pid in "${pids[@]}"; do
  wait "$pid"
done
"$cxx" "${objects[@]}" -o "$out/parse_bench"

python3 "$root/bench/parse/generate.py" "$lines" > "$out/script.bt"
"$out/parse_bench" "$out/script.bt" 20
