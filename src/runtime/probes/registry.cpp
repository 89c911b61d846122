#include "runtime/probes/provider.h"

namespace sonde::probes {

const std::vector<const Provider *> &all_providers() {
  static const std::vector<const Provider *> providers = {
      &begin_provider(),         &end_provider(),      &tracepoint_provider(),
      &rawtracepoint_provider(), &kprobe_provider(),   &kretprobe_provider(),
      &fentry_provider(),        &fexit_provider(),    &uprobe_provider(),
      &uretprobe_provider(),     &usdt_provider(),     &profile_provider(),
      &interval_provider(),      &software_provider(), &hardware_provider(),
      &watchpoint_provider(),    &self_provider(),     &test_provider(),
      &bench_provider(),
  };

  return providers;
}

const Provider *find_provider(std::string_view name) {
  const ProbeKind *kind = find_probe_kind(std::string(name));
  if (!kind)
    return nullptr;
  for (const Provider *provider : all_providers())
    if (provider->name() == kind->name)
      return provider;
  return nullptr;
}

} // namespace sonde::probes
