#pragma once

// The x86_64 system call numbers, from the uapi header sonde was built with.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sonde::types {

std::optional<uint64_t> syscall_number(std::string_view name);
// The name of a system call number, or nothing when it is unknown.
std::optional<std::string> syscall_name(uint64_t number);

} // namespace sonde::types
