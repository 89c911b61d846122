// `hardware:<event>:[<count>]`: CPU performance counters (the PMU) on every
// online CPU, sampled every <count> events. Virtual machines often have no
// PMU; the error then says so and names the software equivalent.

#include "runtime/probes/counter_provider.h"

#include <array>
#include <cstring>
#include <linux/perf_event.h>

namespace sonde::probes {

namespace {

constexpr std::array kEvents = {
    CounterEvent{"backend-stalls", "", PERF_COUNT_HW_STALLED_CYCLES_BACKEND, 1000000},
    CounterEvent{"branch-instructions", "branches", PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 100000},
    CounterEvent{"branch-misses", "", PERF_COUNT_HW_BRANCH_MISSES, 100000},
    CounterEvent{"bus-cycles", "", PERF_COUNT_HW_BUS_CYCLES, 100000},
    CounterEvent{"cache-misses", "", PERF_COUNT_HW_CACHE_MISSES, 1000000},
    CounterEvent{"cache-references", "", PERF_COUNT_HW_CACHE_REFERENCES, 1000000},
    CounterEvent{"cpu-cycles", "cycles", PERF_COUNT_HW_CPU_CYCLES, 1000000},
    CounterEvent{"frontend-stalls", "", PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, 1000000},
    CounterEvent{"instructions", "", PERF_COUNT_HW_INSTRUCTIONS, 1000000},
    CounterEvent{"ref-cycles", "", PERF_COUNT_HW_REF_CPU_CYCLES, 1000000},
};

class HardwareProvider : public CounterProvider {
public:
  HardwareProvider() : CounterProvider("hardware", PERF_TYPE_HARDWARE, kEvents) {}

protected:
  Status attach_target(bpf_program *program, const ProgramInfo &info, const AttachTarget &target,
                       const AttachOptions &options, std::vector<Link> &links) const override {
    auto event = event_of(target);
    if (!event)
      return error(event.error());
    // ENOENT: no PMU at all; EOPNOTSUPP: the PMU lacks this event.
    if (int error = perf_event_probe(*event); error == ENOENT || error == EOPNOTSUPP)
      return sonde::error("cannot attach " + target.spec +
                          ": this machine's CPU counters do not offer the event (" +
                          std::strerror(error) +
                          "; virtual machines often have no PMU); use software:cpu-clock or "
                          "profile:hz:99 instead");
    return CounterProvider::attach_target(program, info, target, options, links);
  }
};

} // namespace

const Provider &hardware_provider() {
  static const HardwareProvider provider;
  return provider;
}

} // namespace sonde::probes
