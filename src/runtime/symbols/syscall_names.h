#pragma once

#include <cstdint>
#include <string_view>

namespace sonde::symbols {

// The name of an x86-64 system call number ("openat" for 257), or "" for a
// number without one.
std::string_view syscall_name(uint64_t nr);

} // namespace sonde::symbols
