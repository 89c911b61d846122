#pragma once

// Kernel functions kprobes can name: the --traceable-functions file when one
// is given, else tracefs's available_filter_functions when it is readable,
// else the function symbols of /proc/kallsyms.

#include "common/expected.h"
#include "system/kallsyms.h"

#include <string>
#include <vector>

namespace sonde::system {

// --traceable-functions: read the functions from `path` (in the format of
// available_filter_functions) instead; called before the first
// kernel_functions(). Fails when the file cannot be read.
Status use_traceable_functions_file(const std::string &path);

// Sorted by module ("" first), then name; read once.
const std::vector<KernelFunction> &kernel_functions();

// Parses lines of available_filter_functions ("name" or "name [module]").
std::vector<KernelFunction> parse_filter_functions(const std::string &text);

} // namespace sonde::system
