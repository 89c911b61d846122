#!/usr/bin/env bash
# Builds the parser fuzzer with clang-19 (libFuzzer, ASan, UBSan) into
# build-fuzz/ and runs it for the given number of seconds on the seed corpus.
# Exits non-zero when the fuzzer finds a crash, leak, hang or undefined
# behaviour; the reproducer is left in build-fuzz/.
#
#   tests/fuzz/run.sh 30
set -euo pipefail

seconds=${1:?usage: tests/fuzz/run.sh SECONDS}
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/check-needs" fuzz
out=$root/build-fuzz
mkdir -p "$out/grammar" "$out/obj" "$out/corpus"

cxx=${CXX_FUZZ:-clang++-19}
launcher=()
if command -v ccache > /dev/null; then
  launcher=(ccache)
fi
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer-no-link,address,undefined
       -fno-sanitize-recover=undefined -I"$root/src" -I"$out/grammar" -I"$root/grammar")

bison -Wall -Wno-counterexamples --defines="$out/grammar/parser.tab.hh" \
  -o "$out/grammar/parser.tab.cc" "$root/grammar/parser.yy"
flex --header-file="$out/grammar/lexer.yy.hh" -o "$out/grammar/lexer.yy.cc" \
  "$root/grammar/lexer.l"

sources=("$root"/src/common/*.cpp "$root"/src/ast/*.cpp "$root"/src/parser/*.cpp "$out/grammar/parser.tab.cc"
         "$out/grammar/lexer.yy.cc" "$root/tests/fuzz/parser_fuzzer.cpp")
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
"$cxx" -fsanitize=fuzzer,address,undefined "${objects[@]}" -o "$out/parser_fuzzer"

cd "$out"
./parser_fuzzer -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
  -dict="$root/tests/fuzz/sonde.dict" -print_final_stats=1 \
  "$out/corpus" "$root/tests/fuzz/corpus"
