#pragma once

#include <string>
#include <vector>

namespace sonde::sema {

// The candidate closest to `name` by edit distance, or "" when none is close
// enough to be a plausible typo.
std::string closest_name(const std::string &name, const std::vector<std::string> &candidates);

} // namespace sonde::sema
