#!/bin/sh
# Checks man/man8/sonde.8: it renders without a single groff warning, it
# documents every option that `sonde -h` prints, and its version is the
# binary's.
# Usage: tests/docs/man_lint.sh path/to/sonde
set -u

sonde=${1:?usage: $0 path/to/sonde}
page=$(dirname "$0")/../../man/man8/sonde.8
failed=0

fail() {
  echo "FAIL: $*" >&2
  failed=1
}

command -v man >/dev/null || { echo "FAIL: man is not installed (apt-get install man-db)" >&2; exit 1; }
[ -r "$page" ] || { echo "FAIL: cannot read $page" >&2; exit 1; }

# groff picks its output device from the locale, so check both.
for locale in C C.UTF-8; do
  warnings=$(LC_ALL=$locale MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "man --warnings ($locale):
$warnings"
done

# The OPTIONS section as plain text, wide enough that no tag line wraps.
options_text=$(LC_ALL=C MANWIDTH=200 man -l "$page" 2>/dev/null | col -bx |
  sed -n '/^OPTIONS$/,/^[A-Z]/p')
[ -n "$options_text" ] || fail "no OPTIONS section in $page"

help=$("$sonde" -h) || fail "$sonde -h exited with status $?"
# Option lines of the help start with a dash; "-h, --help" names two options.
help_options=$(printf '%s\n' "$help" |
  sed -n 's/^[[:space:]]\{1,\}\(-[^[:space:],]*\)\(, \(-[^[:space:],]*\)\)\{0,1\}.*/\1 \3/p')
[ -n "$help_options" ] || fail "found no options in the output of $sonde -h"

checked=0
for option in $help_options; do
  checked=$((checked + 1))
  # A tag line: indented 7 columns, the option possibly after others ("-h, --help").
  if ! printf '%s\n' "$options_text" | grep -Eq -- "^ {7}([^ ]+, )*$option( |,|\$)"; then
    fail "option $option of '$sonde -h' is not described under OPTIONS in $page"
  fi
done

version=$("$sonde" -V) || fail "$sonde -V exited with status $?"
grep -q "^\.TH SONDE 8 \"[^\"]*\" \"$version\"" "$page" ||
  fail "the .TH line of $page does not name '$version' (from $sonde -V)"

[ "$failed" -eq 0 ] && echo "man page OK: $checked options of -h checked"
exit "$failed"
