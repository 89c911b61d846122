#!/usr/bin/env bash
# Builds the fuzzers with clang-19 (libFuzzer, ASan, UBSan) into build-fuzz/
# and runs each for the given number of seconds on the seed corpus:
#   parser    the lexer, parser and AST printer;
#   frontend  parser, sema and codegen through LLVM to a BPF object.
# Exits non-zero when a fuzzer finds a crash, leak, hang or undefined
# behaviour; the reproducer is left in build-fuzz/.
#
#   tests/fuzz/run.sh 30              both, 30 s each
#   tests/fuzz/run.sh 30 frontend     one of them
set -euo pipefail

seconds=${1:?usage: tests/fuzz/run.sh SECONDS [parser|frontend]...}
shift
targets=("$@")
((${#targets[@]})) || targets=(parser frontend)
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/check-needs" fuzz
out=$root/build-fuzz
mkdir -p "$out/grammar" "$out/generated" "$out/obj" "$out/corpus"

cxx=${CXX_FUZZ:-clang++-19}
llvm_config=/usr/lib/llvm-19/bin/llvm-config
launcher=()
if command -v ccache > /dev/null; then
  launcher=(ccache)
fi
# LLVM's headers and macros as the codegen library is built with them (not
# llvm-config --cxxflags, which turns exceptions off).
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer-no-link,address,undefined
       -fno-sanitize-recover=undefined -I"$root/src" -I"$out/grammar" -I"$root/grammar"
       -I"$out/generated" -isystem "$("$llvm_config" --includedir)"
       -D_GNU_SOURCE -D__STDC_CONSTANT_MACROS -D__STDC_FORMAT_MACROS -D__STDC_LIMIT_MACROS)

bison -Wall -Wno-counterexamples --defines="$out/grammar/parser.tab.hh" \
  -o "$out/grammar/parser.tab.cc" "$root/grammar/parser.yy"
flex --header-file="$out/grammar/lexer.yy.hh" -o "$out/grammar/lexer.yy.cc" \
  "$root/grammar/lexer.l"
python3 "$root/cmake/syscall_table.py" "/usr/include/$(uname -m)-linux-gnu/asm/unistd_64.h" \
  "$out/generated/syscall_table.inc"
# sonde's own BPF C, embedded as in the CMake build.
sonde_bpf_c=()
for name in address_spaces dwarf_unwind; do
  clang-19 -target bpfel -O2 -gdwarf-4 -I"$root/src" -I"/usr/include/$(uname -m)-linux-gnu" \
    -c -emit-llvm "$root/src/codegen/bpf/$name.bpf.c" -o "$out/generated/$name.bc"
  cmake -DINPUT="$out/generated/$name.bc" -DOUTPUT="$out/generated/${name}_bitcode.cpp" \
    -DNAME="${name}_bitcode" -P "$root/cmake/embed_file.cmake"
  sonde_bpf_c+=("$out/generated/${name}_bitcode.cpp")
done

front=("$root"/src/common/*.cpp "$root"/src/ast/*.cpp "$root"/src/parser/*.cpp
       "$out/grammar/parser.tab.cc" "$out/grammar/lexer.yy.cc")
back=("$root"/src/system/*.cpp "$root"/src/types/*.cpp "$root"/src/sema/*.cpp
      "$root"/src/sema/builtins/*.cpp "$root"/src/codegen/*.cpp "${sonde_bpf_c[@]}")

# Compiles sources into build-fuzz/obj, two at a time (the machine is
# shared); prints the objects.
compile() {
  local src obj
  for src in "$@"; do
    obj=$out/obj/$(basename "$(dirname "$src")")_$(basename "$src").o
    echo "$obj"
    while (($(jobs -rp | wc -l) >= 2)); do
      wait -n
    done
    "${launcher[@]}" "$cxx" "${flags[@]}" -c "$src" -o "$obj" >&2 &
  done
  while (($(jobs -rp | wc -l) > 0)); do
    wait -n
  done
}

for target in "${targets[@]}"; do
  case $target in
    parser)
      mapfile -t objects < <(compile "${front[@]}" "$root/tests/fuzz/parser_fuzzer.cpp")
      "$cxx" -fsanitize=fuzzer,address,undefined "${objects[@]}" -o "$out/parser_fuzzer"
      ;;
    frontend)
      mapfile -t objects < <(compile "${front[@]}" "${back[@]}" \
        "$root/tests/fuzz/frontend_fuzzer.cpp")
      # shellcheck disable=SC2046 # llvm-config prints several words
      "$cxx" -fsanitize=fuzzer,address,undefined "${objects[@]}" -o "$out/frontend_fuzzer" \
        -L"$("$llvm_config" --libdir)" $("$llvm_config" --link-static --libs bpfcodegen bpfdesc \
        bpfinfo bpfdisassembler passes core support mc target) \
        $("$llvm_config" --link-static --system-libs) -lbpf -ldw -lelf -lz
      ;;
    *)
      echo "unknown fuzz target '$target': parser or frontend" >&2
      exit 2
      ;;
  esac
done

cd "$out"
for target in "${targets[@]}"; do
  mkdir -p "$out/corpus/$target"
  "./${target}_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -dict="$root/tests/fuzz/sonde.dict" -print_final_stats=1 \
    "$out/corpus/$target" "$root/tests/fuzz/corpus"
done
