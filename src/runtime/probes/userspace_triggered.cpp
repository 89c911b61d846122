// The probes the session runs itself with BPF_PROG_TEST_RUN instead of
// attaching them: `begin` before attaching the other probes, `end` after
// detaching them, `test` (once each) and `bench` (many times each, timed) in
// between, in their --mode.

#include "runtime/probes/provider.h"
#include "runtime/probes/wildcard.h"

namespace sonde::probes {

namespace {

class UserspaceTriggered : public Provider {
public:
  // `named`: the probe takes a name (`test:NAME`); otherwise nothing.
  UserspaceTriggered(std::string_view name, Trigger trigger, bool named = false)
      : name_(name), trigger_(trigger), named_(named) {}

  std::string_view name() const override { return name_; }
  Trigger trigger() const override { return trigger_; }

  Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override {
    if (!named_) {
      if (!spec.fields.empty())
        return error(std::string(name_) + " probes take no arguments");
      return spec;
    }
    if (spec.fields.size() != 1 || spec.fields[0].empty())
      return error(std::string(name_) + " probes take a name: " + std::string(name_) + ":NAME");
    if (has_wildcard(spec.fields[0]))
      return error(std::string(name_) + " probe names cannot have wildcards");
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
  bool named_;
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

const Provider &test_provider() {
  static const UserspaceTriggered provider("test", Trigger::Test, true);
  return provider;
}

const Provider &bench_provider() {
  static const UserspaceTriggered provider("bench", Trigger::Benchmark, true);
  return provider;
}

} // namespace sonde::probes
