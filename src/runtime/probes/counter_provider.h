#pragma once

// Providers of perf counter events sampled on every online CPU, every
// <count> occurrences: `software:<event>:[<count>]` and
// `hardware:<event>:[<count>]`. The context is struct bpf_perf_event_data.

#include "runtime/probes/perf_event.h"
#include "runtime/probes/provider.h"

#include <span>

namespace sonde::probes {

struct CounterEvent {
  std::string_view name;
  std::string_view alias; // "" when none
  uint64_t config;        // PERF_COUNT_*
  uint64_t default_count;
};

class CounterProvider : public PerTargetProvider {
public:
  CounterProvider(std::string_view name, uint32_t perf_type, std::span<const CounterEvent> events)
      : name_(name), perf_type_(perf_type), events_(events) {}

  std::string_view name() const override { return name_; }
  Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override;
  Expected<std::vector<AttachPointSpec>> expand(const AttachPointSpec &spec) const override;
  std::vector<AttachPointSpec> list(const std::vector<std::string> &pattern) const override;
  bpf_prog_type program_type(const ProgramInfo &) const override {
    return BPF_PROG_TYPE_PERF_EVENT;
  }

protected:
  Status attach_target(bpf_program *program, const ProgramInfo &info, const AttachTarget &target,
                       const AttachOptions &options, std::vector<Link> &links) const override;
  // The perf event of a canonical target.
  Expected<PerfEventSpec> event_of(const AttachTarget &target) const;

private:
  const CounterEvent *find_event(std::string_view name) const;

  std::string_view name_;
  uint32_t perf_type_;
  std::span<const CounterEvent> events_;
};

} // namespace sonde::probes
