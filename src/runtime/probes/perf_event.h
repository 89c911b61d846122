#pragma once

// Programs attached to perf events: timers, software and hardware counters
// (one perf event per CPU) and breakpoints (one per traced process).

#include "common/expected.h"
#include "runtime/probes/link.h"

#include <cstdint>
#include <linux/perf_event.h>
#include <string>
#include <sys/types.h>
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

// Opens the event once on the first online CPU, without attaching anything:
// 0 when the kernel accepts it, else the errno perf_event_open failed with.
int perf_event_probe(const PerfEventSpec &spec);

// Opens the event on each CPU and attaches the program to it with `cookie`;
// on failure nothing stays attached. `what` names the probe in errors.
Status attach_perf_event(bpf_program *program, const PerfEventSpec &spec,
                         const std::vector<int> &cpus, uint64_t cookie, const std::string &what,
                         std::vector<Link> &links);

// Opens the event for one process on whichever CPU it runs and attaches the
// program to it with `cookie`. `attr` is complete but for its size.
Status attach_perf_event_to_process(bpf_program *program, perf_event_attr attr, pid_t pid,
                                    uint64_t cookie, const std::string &what,
                                    std::vector<Link> &links);

} // namespace sonde::probes
