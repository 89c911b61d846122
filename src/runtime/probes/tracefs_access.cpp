#include "runtime/probes/tracefs_access.h"

#include "system/tracefs.h"

#include <cerrno>
#include <unistd.h>

namespace sonde::probes {

std::string tracefs_needs_root() {
  auto root = system::tracefs::root();
  std::string events = (root ? *root : "/sys/kernel/tracing") + "/events";
  if (access(events.c_str(), R_OK | X_OK) == 0 || (errno != EACCES && errno != EPERM))
    return "";
  return "reading tracefs (" + events + ") needs root";
}

} // namespace sonde::probes
