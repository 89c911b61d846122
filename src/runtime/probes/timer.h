#pragma once

// The rate of `interval` and `profile` probes: `<provider>:<unit>:<n>` or the
// short form `<provider>:<n><unit>`, units s, ms, us, ns and hz.

#include "common/expected.h"
#include "runtime/probes/attach_point.h"
#include "runtime/probes/perf_event.h"

namespace sonde::probes {

// Brings either form to `<provider>:<unit>:<n>`, checking unit and count.
Expected<AttachPointSpec> canonicalize_timer(AttachPointSpec spec);

// `-l`'s entries of a timer provider matching `pattern`: one per unit with
// an empty count ("interval:ms:"), in name order, as bpftrace lists them.
std::vector<AttachPointSpec> list_timer_units(std::string_view provider,
                                              const std::vector<std::string> &pattern);

// A cpu-clock perf event firing at the rate of canonical timer fields.
PerfEventSpec timer_event(const std::vector<std::string> &fields);

} // namespace sonde::probes
