#pragma once

// Kernel #define constants that scripts use from headers most machines do not
// have (BTF describes enums, not macros). Only values fixed by the Linux ABI.

#include <cstdint>
#include <optional>
#include <string_view>

namespace sonde::types {

std::optional<int64_t> kernel_macro(std::string_view name);

} // namespace sonde::types
