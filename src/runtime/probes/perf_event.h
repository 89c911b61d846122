#pragma once

// Programs attached to perf events (timers and software counters), one perf
// event per CPU.

#include "runtime/expected.h"
#include "runtime/probes/link.h"

#include <cstdint>
#include <string>
#include <vector>

struct bpf_program;

namespace sonde::probes {

struct PerfEventSpec {
  uint32_t type = 0;   // PERF_TYPE_*
  uint64_t config = 0; // PERF_COUNT_*
  // Sample every `period` events, or `period` times a second when
  // `frequency` is set.
  uint64_t period = 0;
  bool frequency = false;
};

// CPUs listed in /sys/devices/system/cpu/online.
std::vector<int> online_cpus();

// Opens the event on each CPU and attaches the program to it with `cookie`;
// on failure nothing stays attached. `what` names the probe in errors.
runtime::Status attach_perf_event(bpf_program *program, const PerfEventSpec &spec,
                                  const std::vector<int> &cpus, uint64_t cookie,
                                  const std::string &what, std::vector<Link> &links);

} // namespace sonde::probes
