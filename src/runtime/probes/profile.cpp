// `profile:<unit>:<n>`: a timer on every online CPU.

#include "runtime/probes/perf_event.h"
#include "runtime/probes/provider.h"
#include "runtime/probes/timer.h"

namespace sonde::probes {

namespace {

class ProfileProvider : public PerTargetProvider {
public:
  std::string_view name() const override { return "profile"; }

  Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override {
    return canonicalize_timer(std::move(spec));
  }

  std::vector<AttachPointSpec> list(const std::vector<std::string> &pattern) const override {
    return list_timer_units(name(), pattern);
  }

  bpf_prog_type program_type(const ProgramInfo &) const override {
    return BPF_PROG_TYPE_PERF_EVENT;
  }

protected:
  Status attach_target(bpf_program *program, const ProgramInfo &, const AttachTarget &target,
                       const AttachOptions &, std::vector<Link> &links) const override {
    return attach_perf_event(program, timer_event(target.fields), online_cpus(), target.cookie,
                             target.spec, links);
  }
};

} // namespace

const Provider &profile_provider() {
  static const ProfileProvider provider;
  return provider;
}

} // namespace sonde::probes
