#pragma once

// Whether messages on stderr, and the test report of --mode test on stdout,
// are coloured: SONDE_COLOR, else BPFTRACE_COLOR, each always|never|auto
// (the default: when that stream is a terminal).

#include <string>

namespace sonde::cli {

// An empty string, or a one-line error when a variable holds another value.
std::string check_color_setting();

bool stderr_color();
bool stdout_color();

} // namespace sonde::cli
