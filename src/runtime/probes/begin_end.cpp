// `begin` and `end`: programs the session runs itself with BPF_PROG_TEST_RUN,
// before attaching the other probes and after detaching them.

#include "runtime/probes/provider.h"

namespace sonde::probes {

namespace {

class UserspaceTriggered : public Provider {
public:
  UserspaceTriggered(std::string_view name, Trigger trigger) : name_(name), trigger_(trigger) {}

  std::string_view name() const override { return name_; }
  Trigger trigger() const override { return trigger_; }

  Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override {
    if (!spec.fields.empty())
      return error(std::string(name_) + " probes take no arguments");
    return spec;
  }

  bpf_prog_type program_type(const ProgramInfo &) const override {
    return BPF_PROG_TYPE_RAW_TRACEPOINT;
  }

  Expected<size_t> attach(bpf_program *, const ProgramInfo &, const AttachOptions &,
                          std::vector<Link> &) const override {
    return error(std::string(name_) + " probes are run, not attached");
  }

private:
  std::string_view name_;
  Trigger trigger_;
};

} // namespace

const Provider &begin_provider() {
  static const UserspaceTriggered provider("begin", Trigger::BeforeAttach);
  return provider;
}

const Provider &end_provider() {
  static const UserspaceTriggered provider("end", Trigger::AfterDetach);
  return provider;
}

} // namespace sonde::probes
