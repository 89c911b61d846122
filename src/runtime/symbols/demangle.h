#pragma once

#include <string>

namespace sonde::symbols {

// The C++ name behind a mangled symbol ("_ZN2ns1fEv" → "ns::f()"); other
// names unchanged.
std::string demangle(const std::string &name);

} // namespace sonde::symbols
