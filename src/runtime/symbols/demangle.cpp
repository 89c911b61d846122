#include "runtime/symbols/demangle.h"

#include <cstdlib>
#include <cxxabi.h>

namespace sonde::symbols {

std::string demangle(const std::string &name) {
  if (name.rfind("_Z", 0) != 0)
    return name;
  int status = 0;
  char *plain = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
  if (status != 0 || !plain)
    return name;
  std::string result = plain;
  std::free(plain);
  return result;
}

} // namespace sonde::symbols
