#pragma once

// Kernel functions kprobes can name: tracefs's available_filter_functions
// when it is readable, else the function symbols of /proc/kallsyms.

#include "system/kallsyms.h"

#include <string>
#include <vector>

namespace sonde::system {

// Sorted by module ("" first), then name; read once.
const std::vector<KernelFunction> &kernel_functions();

// Parses lines of available_filter_functions ("name" or "name [module]").
std::vector<KernelFunction> parse_filter_functions(const std::string &text);

} // namespace sonde::system
