// `software:<event>:[<count>]`: perf software events on every online CPU,
// sampled every <count> occurrences (a per-event default when omitted).

#include "runtime/probes/counter_provider.h"

#include <array>
#include <linux/perf_event.h>

namespace sonde::probes {

namespace {

constexpr std::array kEvents = {
    CounterEvent{"alignment-faults", "", PERF_COUNT_SW_ALIGNMENT_FAULTS, 1},
    CounterEvent{"bpf-output", "", PERF_COUNT_SW_BPF_OUTPUT, 1},
    CounterEvent{"context-switches", "cs", PERF_COUNT_SW_CONTEXT_SWITCHES, 1000},
    CounterEvent{"cpu-clock", "cpu", PERF_COUNT_SW_CPU_CLOCK, 1000000},
    CounterEvent{"cpu-migrations", "", PERF_COUNT_SW_CPU_MIGRATIONS, 1},
    CounterEvent{"dummy", "", PERF_COUNT_SW_DUMMY, 1},
    CounterEvent{"emulation-faults", "", PERF_COUNT_SW_EMULATION_FAULTS, 1},
    CounterEvent{"major-faults", "", PERF_COUNT_SW_PAGE_FAULTS_MAJ, 1},
    CounterEvent{"minor-faults", "", PERF_COUNT_SW_PAGE_FAULTS_MIN, 100},
    CounterEvent{"page-faults", "faults", PERF_COUNT_SW_PAGE_FAULTS, 100},
    CounterEvent{"task-clock", "", PERF_COUNT_SW_TASK_CLOCK, 1000000},
};

} // namespace

const Provider &software_provider() {
  static const CounterProvider provider("software", PERF_TYPE_SOFTWARE, kEvents);
  return provider;
}

} // namespace sonde::probes
