#pragma once

// The kernel's tracing file system: where it is, which tracepoints exist, and
// their record formats.

#include "common/expected.h"
#include "system/tracepoint_format.h"

#include <string>
#include <vector>

namespace sonde::system::tracefs {

// The directory tracefs is mounted on. When none is mounted and we are root,
// mounts it at /sys/kernel/tracing first. The answer is cached.
Expected<std::string> root();

// Tracepoint categories (`sched`, `syscalls`, …), sorted.
Expected<std::vector<std::string>> categories();
// The events of one category, sorted.
Expected<std::vector<std::string>> events(const std::string &category);

bool event_exists(const std::string &category, const std::string &event);

Expected<TracepointFormat> format(const std::string &category, const std::string &event);

} // namespace sonde::system::tracefs
