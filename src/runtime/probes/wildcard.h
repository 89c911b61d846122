#pragma once

// Attach-point wildcards as bpftrace accepts them: `*` matches any run of
// characters (also an empty one); every other character matches itself.

#include <string>
#include <string_view>
#include <vector>

namespace sonde::probes {

bool has_wildcard(std::string_view pattern);
bool wildcard_match(std::string_view pattern, std::string_view text);

// Whether attach-point fields match pattern fields, both joined with ':'
// (so a `*` may span fields). An empty pattern matches everything.
bool fields_match(const std::vector<std::string> &pattern, const std::vector<std::string> &fields);

} // namespace sonde::probes
