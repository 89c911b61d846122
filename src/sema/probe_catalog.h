#pragma once

// What sema needs to know about attach points, answered by the probe
// providers (src/runtime/probes) without sema depending on them.

#include "types/type.h"

#include <string>
#include <vector>

namespace sonde::sema {

// One concrete attach point after wildcard expansion.
struct ProbeTarget {
  std::string provider; // canonical: "begin", "end", "tracepoint", "interval", …
  std::string spec;     // full text as `probe` prints it: "tracepoint:sched:sched_switch"
  std::vector<std::string> fields; // the spec's fields after the provider
};

struct Expansion {
  std::vector<ProbeTarget> targets;
  std::string error; // non-empty when the attach point is invalid or matches nothing
};

class ProbeCatalog {
public:
  virtual ~ProbeCatalog() = default;

  // Validates an attach point as written and expands its wildcards.
  virtual Expansion expand(const std::string &attach_point) = 0;

  // The `args` record of a tracepoint: a Struct type whose fields are the
  // event's format fields at their record offsets. Null when unknown.
  virtual types::TypePtr tracepoint_args(const std::string &category,
                                         const std::string &event) = 0;
};

} // namespace sonde::sema
