#pragma once

// The dynamic linker's cache (/etc/ld.so.cache): library short names in
// attach points (`uprobe:libc:malloc`) resolve through it, as `ldconfig -p`
// shows it.

#include "common/expected.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonde::system {

struct LdCacheEntry {
  std::string name; // "libc.so.6"
  std::string path; // "/lib/x86_64-linux-gnu/libc.so.6"
};

// The entries of a cache file's bytes (glibc's "glibc-ld.so.cache1.1"
// format, alone or after the old "ld.so-1.7.0" one) that were built for
// this machine's architecture, in the cache's order.
Expected<std::vector<LdCacheEntry>> parse_ld_cache(std::string_view bytes);

// The path of a library named `name` ("libc.so.6") or by the stem of its
// name ("libc" → the first "libc.so*" entry) in /etc/ld.so.cache.
std::optional<std::string> find_library(const std::string &name);

} // namespace sonde::system
