#include "system/kernel_functions.h"

#include "system/tracefs.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace sonde::system {

namespace {

std::string read_file(const std::string &path) {
  std::ifstream in(path);
  if (!in)
    return "";
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// "[module]" → "module".
std::string module_of(const std::string &field) {
  if (field.size() >= 2 && field.front() == '[' && field.back() == ']')
    return field.substr(1, field.size() - 2);
  return "";
}

// The --traceable-functions file's functions, when one was given.
std::optional<std::vector<KernelFunction>> &traceable_functions() {
  static std::optional<std::vector<KernelFunction>> functions;
  return functions;
}

void sort_unique(std::vector<KernelFunction> &functions) {
  std::sort(functions.begin(), functions.end());
  functions.erase(std::unique(functions.begin(), functions.end()), functions.end());
}

} // namespace

std::vector<KernelFunction> parse_filter_functions(const std::string &text) {
  std::vector<KernelFunction> functions;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string name, module;
    if (fields >> name) {
      fields >> module;
      functions.push_back(KernelFunction{name, module_of(module)});
    }
  }
  sort_unique(functions);
  return functions;
}

Status use_traceable_functions_file(const std::string &path) {
  std::ifstream in(path);
  if (!in)
    return error("--traceable-functions: cannot read " + path + ": " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  traceable_functions() = parse_filter_functions(text.str());
  return {};
}

const std::vector<KernelFunction> &kernel_functions() {
  if (traceable_functions())
    return *traceable_functions();
  static const std::vector<KernelFunction> filter_functions = [] {
    auto root = tracefs::root();
    return root ? parse_filter_functions(read_file(*root + "/available_filter_functions"))
                : std::vector<KernelFunction>();
  }();
  return filter_functions.empty() ? Kallsyms::get().functions() : filter_functions;
}

} // namespace sonde::system
