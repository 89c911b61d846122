#pragma once

// Without root, tracefs's event directory cannot be read, and every
// tracepoint looks missing: this says why instead.

#include <string>

namespace sonde::probes {

// "reading tracefs (/sys/kernel/tracing/events) needs root" when the events
// directory exists but this process may not read it; empty otherwise.
std::string tracefs_needs_root();

} // namespace sonde::probes
