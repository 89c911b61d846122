#include "runtime/probes/kernel_features.h"

#include <set>

namespace sonde::probes {

namespace {

std::set<std::string> &disabled() {
  static std::set<std::string> names;
  return names;
}

} // namespace

void disable_kernel_features(const std::vector<std::string> &names) {
  disabled().insert(names.begin(), names.end());
}

bool kernel_feature_disabled(const std::string &name) { return disabled().count(name) > 0; }

} // namespace sonde::probes
