#pragma once

// Attach-point wildcards as bpftrace accepts them: `*` matches any run of
// characters (also an empty one); every other character matches itself.

#include <string_view>

namespace sonde::probes {

bool has_wildcard(std::string_view pattern);
bool wildcard_match(std::string_view pattern, std::string_view text);

} // namespace sonde::probes
