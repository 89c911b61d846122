#pragma once

#include "common/diagnostics.h"

#include <string>
#include <vector>

namespace sonde::cli {

// `sonde --fmt`: prints `source` in the standard layout (fmt_layout.h) and
// returns 0, or reports its parse errors and returns 1. The output must parse
// to the same AST as the input; when it would not, nothing is printed and
// an internal error names the first AST line that differs.
int format_source(const Source &source, const std::vector<std::string> &params);

} // namespace sonde::cli
