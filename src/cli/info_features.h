#pragma once

// The part of `--info` that bpftrace's own `--info` also prints, with its
// section names, keys and yes/no words, for harnesses that read them.

#include <ostream>

namespace sonde::cli {

// Build, Kernel helpers, Kernel features and Map types; the caller prints
// Probe types from its own checks.
void print_bpftrace_features(std::ostream &out);

} // namespace sonde::cli
