#pragma once

// Kernel functions kprobes can name: tracefs's available_filter_functions
// when it is readable, else the function symbols of /proc/kallsyms.

#include <string>
#include <vector>

namespace sonde::system {

struct KernelFunction {
  std::string name;
  std::string module; // empty for the kernel itself

  bool operator<(const KernelFunction &other) const {
    return module != other.module ? module < other.module : name < other.name;
  }
  bool operator==(const KernelFunction &) const = default;
};

// Sorted by module ("" first), then name; read once.
const std::vector<KernelFunction> &kernel_functions();

// Parses lines of available_filter_functions ("name" or "name [module]")
// or of /proc/kallsyms ("address type name [module]", text symbols only,
// without the __pfx_/__cfi_ padding symbols).
std::vector<KernelFunction> parse_filter_functions(const std::string &text);
std::vector<KernelFunction> parse_kallsyms(const std::string &text);

} // namespace sonde::system
