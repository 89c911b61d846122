#pragma once

// The function field of a uprobe attach point: `main`, `main+4` or an
// address (`0x1139`, or `4409`: no function's name is a number, as in
// bpftrace). Read by sema (uaddr's load base), the uprobe provider and the
// symbolizer.

#include "common/expected.h"

#include <cstdint>
#include <string>

namespace sonde {

struct UprobeLocation {
  std::string symbol;  // empty for an address
  uint64_t offset = 0; // from the symbol, or the address
  bool is_address = false;
};

Expected<UprobeLocation> parse_uprobe_location(const std::string &field);

} // namespace sonde
