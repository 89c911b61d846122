#include "types/kernel_macros.h"

#include <algorithm>
#include <iterator>

namespace sonde::types {

namespace {

struct Macro {
  std::string_view name;
  int64_t value;
};

// Sorted by name.
constexpr Macro kMacros[] = {
    {"AF_INET", 2},
    {"AF_INET6", 10},
    {"AF_NETLINK", 16},
    {"AF_PACKET", 17},
    {"AF_UNIX", 1},
    {"AF_UNSPEC", 0},
    {"EXIT_DEAD", 0x10},
    {"EXIT_ZOMBIE", 0x20},
    {"IPPROTO_ICMP", 1},
    {"IPPROTO_TCP", 6},
    {"IPPROTO_UDP", 17},
    {"O_APPEND", 02000},
    {"O_CREAT", 0100},
    {"O_RDONLY", 0},
    {"O_RDWR", 2},
    {"O_TRUNC", 01000},
    {"O_WRONLY", 1},
    {"TASK_DEAD", 0x80},
    {"TASK_INTERRUPTIBLE", 0x1},
    {"TASK_KILLABLE", 0x102},
    {"TASK_PARKED", 0x40},
    {"TASK_RUNNING", 0x0},
    {"TASK_UNINTERRUPTIBLE", 0x2},
    {"TASK_WAKEKILL", 0x100},
    {"__TASK_STOPPED", 0x4},
    {"__TASK_TRACED", 0x8},
};

} // namespace

std::optional<int64_t> kernel_macro(std::string_view name) {
  auto it = std::lower_bound(std::begin(kMacros), std::end(kMacros), name,
                             [](const Macro &m, std::string_view n) { return m.name < n; });
  if (it == std::end(kMacros) || it->name != name)
    return std::nullopt;
  return it->value;
}

} // namespace sonde::types
