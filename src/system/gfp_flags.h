#pragma once

// GFP (get free pages) allocation flags as the kernel names them: the
// combinations (GFP_KERNEL, …) and single bits (__GFP_ZERO, …) in the order
// the kernel's own `%pGg` prints them. The running kernel's table is read
// from the print format of the kmem:kmalloc tracepoint, so the bit values
// are this kernel's (they move between versions and configs).

#include "common/expected.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sonde::system {

struct GfpFlagName {
  uint64_t mask = 0;
  std::string name;
};

// Parses the `__print_flags(REC->gfp_flags, "|", {mask, "NAME"}, …)` table
// of a tracepoint's print format.
Expected<std::vector<GfpFlagName>> parse_gfp_flag_names(std::string_view print_format);

// The table of the running kernel (read once).
const Expected<std::vector<GfpFlagName>> &kernel_gfp_flag_names();

// "GFP_KERNEL|__GFP_ZERO": each name whose bits are all set, first match
// first, its bits then taken out; bits no name covers end the text in hex;
// no flags at all is "none".
std::string gfp_flags_text(uint64_t flags, const std::vector<GfpFlagName> &names);

} // namespace sonde::system
