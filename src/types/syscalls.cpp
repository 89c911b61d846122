#include "types/syscalls.h"

#include <algorithm>
#include <utility>

namespace sonde::types {

namespace {

struct Syscall {
  const char *name;
  uint64_t number;
};

// Sorted by number.
constexpr Syscall kSyscalls[] = {
#include "syscall_table.inc"
};

} // namespace

std::optional<uint64_t> syscall_number(std::string_view name) {
  for (const auto &s : kSyscalls)
    if (name == s.name)
      return s.number;
  return std::nullopt;
}

std::optional<std::string> syscall_name(uint64_t number) {
  auto it = std::lower_bound(std::begin(kSyscalls), std::end(kSyscalls), number,
                             [](const Syscall &s, uint64_t n) { return s.number < n; });
  if (it == std::end(kSyscalls) || it->number != number)
    return std::nullopt;
  return std::string(it->name);
}

} // namespace sonde::types
