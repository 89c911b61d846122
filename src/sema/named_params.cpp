#include "sema/named_params.h"

namespace sonde::sema {

std::optional<std::string> named_param(const std::vector<std::string> &params,
                                       const std::string &name) {
  const std::string flag = "--" + name;
  for (const auto &p : params) {
    if (p == flag)
      return std::string();
    if (p.rfind(flag + "=", 0) == 0)
      return p.substr(flag.size() + 1);
  }
  return std::nullopt;
}

} // namespace sonde::sema
