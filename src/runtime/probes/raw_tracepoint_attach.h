#pragma once

#include "common/expected.h"
#include "runtime/probes/link.h"

#include <cstdint>
#include <string>
#include <vector>

struct bpf_program;

namespace sonde::probes {

// Attaches a raw-tracepoint program to the kernel tracepoint `name`
// ("sched_switch"). A non-zero cookie needs Linux 6.10.
Status attach_raw_tracepoint(bpf_program *program, const std::string &name, uint64_t cookie,
                             std::vector<Link> &links);

} // namespace sonde::probes
