#pragma once

// Whether messages on stderr are coloured: SONDE_COLOR, else BPFTRACE_COLOR,
// each always|never|auto (the default: when stderr is a terminal).

#include <string>

namespace sonde::cli {

// An empty string, or a one-line error when a variable holds another value.
std::string check_color_setting();

bool stderr_color();

} // namespace sonde::cli
