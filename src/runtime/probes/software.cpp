// `software:<event>:[<count>]`: perf software events on every online CPU,
// sampled every <count> occurrences (a per-event default when omitted).

#include "runtime/probes/perf_event.h"
#include "runtime/probes/provider.h"
#include "runtime/probes/wildcard.h"

#include <array>
#include <charconv>
#include <linux/perf_event.h>

namespace sonde::probes {

namespace {

struct SoftwareEvent {
  std::string_view name;
  std::string_view alias; // "" when none
  uint64_t config;
  uint64_t default_count;
};

constexpr std::array kEvents = {
    SoftwareEvent{"alignment-faults", "", PERF_COUNT_SW_ALIGNMENT_FAULTS, 1},
    SoftwareEvent{"bpf-output", "", PERF_COUNT_SW_BPF_OUTPUT, 1},
    SoftwareEvent{"context-switches", "cs", PERF_COUNT_SW_CONTEXT_SWITCHES, 1000},
    SoftwareEvent{"cpu-clock", "cpu", PERF_COUNT_SW_CPU_CLOCK, 1000000},
    SoftwareEvent{"cpu-migrations", "", PERF_COUNT_SW_CPU_MIGRATIONS, 1},
    SoftwareEvent{"dummy", "", PERF_COUNT_SW_DUMMY, 1},
    SoftwareEvent{"emulation-faults", "", PERF_COUNT_SW_EMULATION_FAULTS, 1},
    SoftwareEvent{"major-faults", "", PERF_COUNT_SW_PAGE_FAULTS_MAJ, 1},
    SoftwareEvent{"minor-faults", "", PERF_COUNT_SW_PAGE_FAULTS_MIN, 100},
    SoftwareEvent{"page-faults", "faults", PERF_COUNT_SW_PAGE_FAULTS, 100},
    SoftwareEvent{"task-clock", "", PERF_COUNT_SW_TASK_CLOCK, 1000000},
};

const SoftwareEvent *find_event(std::string_view name) {
  for (const SoftwareEvent &event : kEvents)
    if (event.name == name || (!event.alias.empty() && event.alias == name))
      return &event;
  return nullptr;
}

bool parse_count(std::string_view text, uint64_t &out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

class SoftwareProvider : public PerTargetProvider {
public:
  std::string_view name() const override { return "software"; }
  std::vector<std::string_view> aliases() const override { return {"s"}; }

  runtime::Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override {
    if (spec.fields.empty() || spec.fields.size() > 2 || spec.fields[0].empty())
      return runtime::error("software probes need an event: software:<event>:[<count>]");
    if (spec.fields.size() == 1)
      spec.fields.emplace_back();
    if (!spec.fields[1].empty()) {
      uint64_t count = 0;
      if (!parse_count(spec.fields[1], count) || count == 0)
        return runtime::error("invalid software event count '" + spec.fields[1] +
                              "': expected a positive integer");
    }
    if (has_wildcard(spec.fields[0]))
      return spec;
    const SoftwareEvent *event = find_event(spec.fields[0]);
    if (!event)
      return runtime::error("unknown software event '" + spec.fields[0] + "'");
    spec.fields[0] = std::string(event->name);
    if (spec.fields[1].empty())
      spec.fields[1] = std::to_string(event->default_count);
    return spec;
  }

  runtime::Expected<std::vector<AttachPointSpec>>
  expand(const AttachPointSpec &spec) const override {
    std::vector<AttachPointSpec> matches;
    for (const SoftwareEvent &event : kEvents) {
      if (!wildcard_match(spec.fields[0], event.name))
        continue;
      std::string count =
          spec.fields[1].empty() ? std::to_string(event.default_count) : spec.fields[1];
      matches.push_back(AttachPointSpec{"software", {std::string(event.name), count}});
    }
    return matches;
  }

  std::vector<AttachPointSpec> list(const std::vector<std::string> &) const override {
    std::vector<AttachPointSpec> all;
    for (const SoftwareEvent &event : kEvents)
      all.push_back(AttachPointSpec{"software", {std::string(event.name), ""}});
    return all;
  }

  bpf_prog_type program_type(const codegen::ProgramInfo &) const override {
    return BPF_PROG_TYPE_PERF_EVENT;
  }

protected:
  runtime::Status attach_target(bpf_program *program, const codegen::ProgramInfo &,
                                const codegen::AttachTarget &target, const AttachOptions &,
                                std::vector<Link> &links) const override {
    const SoftwareEvent *event = find_event(target.fields.at(0));
    uint64_t count = 0;
    if (!event || !parse_count(target.fields.at(1), count))
      return runtime::error("cannot attach " + target.spec + ": not a canonical software probe");
    PerfEventSpec spec{PERF_TYPE_SOFTWARE, event->config, count, false};
    return attach_perf_event(program, spec, online_cpus(), target.cookie, target.spec, links);
  }
};

} // namespace

const Provider &software_provider() {
  static const SoftwareProvider provider;
  return provider;
}

} // namespace sonde::probes
