#!/usr/bin/env bash
# Proves that scripts/install-deps installs everything the repository's
# scripts use:
#  1. each entry of scripts/needs is on this machine and comes from the
#     package it names (or one that package depends on);
#  2. every command the scripts name that exists here comes from a package
#     Debian always installs (priority required or important) or from the
#     packages scripts/needs names and their dependencies.
# Usage: tests/deps/needs_test.sh
set -uo pipefail
PATH=/usr/sbin:/usr/bin:/sbin:/bin  # what packages install, not a user's shims
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
failed=0
fail() {
  echo "FAIL: $*"
  failed=1
}

closure() {  # the packages named and everything they depend on
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "$@" 2>/dev/null | grep -v '^ ' | tr -d '<>' | sort -u
}

owner() {  # the package that installed a file, following symlinks
  local path
  path=$(realpath -e "$1" 2>/dev/null) || return 1
  dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1
}

mapfile -t packages < <(scripts/check-needs --packages)
all_needed=$(closure "${packages[@]}")

# 1. The manifest's entries, each from its package.
declare -A closures
checked=0
while read -r group kind what package; do
  case $kind in
    command) path=$(command -v "$what") || { fail "$group needs command $what: not on this machine"; continue; } ;;
    file) path=$what ;;
  esac
  from=$(owner "$path") || { fail "$group needs $what: not installed by any package"; continue; }
  [[ -n ${closures[$package]:-} ]] || closures[$package]=$(closure "$package")
  grep -qx "$from" <<< "${closures[$package]}" ||
    fail "$group needs $what from package $package, but it comes from $from"
  checked=$((checked + 1))
done < <(grep -v '^[[:space:]]*\(#\|$\)' scripts/needs)

# 2. The commands the scripts call: in shell scripts the first word of each
#    command (after a newline, ; | & ( or $( and shell keywords), in Python
#    scripts every string literal that is one word.
shell_keywords=" if then else elif fi do done while until for in case esac function return local exec command time "
words() {
  if head -1 "$1" | grep -q python || [[ $1 == *.py ]]; then
    grep -oE "[\"'][A-Za-z][A-Za-z0-9+._-]*[\"']" "$1" | tr -d "\"'"
    return
  fi
  sed -e 's/^[[:space:]]*#.*//' -e 's/[[:space:]]#.*//' "$1" | tr ';|&(`' '\n' | sed 's/^\$//' |
    while read -r first rest; do
      while [[ $shell_keywords == *" $first "* ]]; do
        read -r first rest <<< "$rest"
      done
      [[ $first =~ ^[A-Za-z][A-Za-z0-9+._-]*$ ]] && echo "$first"
    done
}

scripts=$(git ls-files -s | awk '$1 == "100755" {print $4}'; git ls-files '*.sh' '*.py')
declare -A seen
for script in $(printf '%s\n' $scripts | sort -u); do
  for word in $(words "$script" | sort -u); do
    [[ -n ${seen[$word]:-} ]] && continue
    seen[$word]=1
    path=$(type -P "$word") || continue
    from=$(owner "$path") || continue
    priority=$(dpkg-query -W -f='${Priority}' "$from" 2>/dev/null)
    [[ $priority == required || $priority == important ]] && continue
    grep -qx "$from" <<< "$all_needed" ||
      fail "$script calls $word (package $from), which scripts/needs does not list"
  done
done

((failed)) && exit 1
echo "needs OK: $checked entries from their packages; the scripts call only installed packages"
