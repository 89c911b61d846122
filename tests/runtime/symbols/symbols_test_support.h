#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace sonde::symbols::symbols_test {

// The address /proc/kallsyms lists for a text symbol (0 without root).
inline uint64_t kallsyms_address(const std::string &name) {
  std::ifstream in("/proc/kallsyms");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string address, type, symbol;
    fields >> address >> type >> symbol;
    if (symbol == name && (type == "T" || type == "t"))
      return std::stoull(address, nullptr, 16);
  }
  return 0;
}

} // namespace sonde::symbols::symbols_test
