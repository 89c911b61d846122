#pragma once

// Named parameters for getopt(): words after the script of the form
// `--name=value`, or `--name` alone (a flag).

#include <optional>
#include <string>
#include <vector>

namespace sonde::sema {

// The value given for `name`: "" for a bare flag, nothing when not given.
std::optional<std::string> named_param(const std::vector<std::string> &params,
                                       const std::string &name);

} // namespace sonde::sema
