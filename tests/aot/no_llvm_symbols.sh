#!/bin/sh
# Fails when the binary ($1) defines or needs any LLVM or Clang symbol, or
# loads their libraries.
set -eu
binary=$1
found=$( (nm -C "$binary" 2>/dev/null; nm -D -C "$binary") | grep -E ' (llvm|clang)::|\bLLVM[A-Z][A-Za-z]+\b|\bclang_[a-z]' || true)
if [ -n "$found" ]; then
  echo "$binary has LLVM or Clang symbols:"
  echo "$found" | head -20
  exit 1
fi
if readelf -d "$binary" | grep -E 'NEEDED.*(LLVM|clang)'; then
  echo "$binary needs an LLVM or Clang library"
  exit 1
fi
echo "no LLVM or Clang symbols in $binary"
