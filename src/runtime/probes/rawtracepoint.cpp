// `rawtracepoint:[<module>:]<name>`: kernel tracepoints attached without the
// perf layer; the context is the tracepoint's raw argument array.

#include "runtime/probes/provider.h"
#include "runtime/probes/raw_tracepoint_attach.h"
#include "runtime/probes/wildcard.h"
#include "system/btf_functions.h"
#include "system/kernel_btf.h"
#include "system/tracefs.h"

#include <algorithm>
#include <set>

namespace sonde::probes {

namespace {

// Every raw tracepoint name tracefs knows. The `syscalls` events are not
// tracepoints of their own (they ride on raw_syscalls), so they are left out.
Expected<std::set<std::string>> raw_tracepoint_names() {
  auto categories = system::tracefs::categories();
  if (!categories)
    return error(categories.error());
  std::set<std::string> names;
  for (const std::string &category : *categories) {
    if (category == "syscalls")
      continue;
    auto events = system::tracefs::events(category);
    if (!events)
      return error(events.error());
    names.insert(events->begin(), events->end());
  }
  return names;
}

class RawTracepointProvider : public PerTargetProvider {
public:
  std::string_view name() const override { return "rawtracepoint"; }

  Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override {
    bool valid = (spec.fields.size() == 1 || spec.fields.size() == 2) &&
                 !spec.fields.back().empty() && !spec.fields.front().empty();
    if (!valid)
      return error("rawtracepoint probes need a tracepoint name: "
                   "rawtracepoint:[<module>:]<name>");
    return spec;
  }

  Expected<std::vector<AttachPointSpec>> expand(const AttachPointSpec &spec) const override {
    // A module must be vmlinux or one with BTF, as bpftrace checks.
    if (spec.fields.size() == 2 && !has_wildcard(spec.fields[0])) {
      const auto &modules = system::KernelBtf::get().modules();
      if (std::find(modules.begin(), modules.end(), spec.fields[0]) == modules.end())
        return error("No BTF found for " + spec.fields[0] + ":" + spec.fields[1] + ".");
    }
    auto names = raw_tracepoint_names();
    if (!names)
      return error(names.error());
    std::vector<AttachPointSpec> matches;
    for (const std::string &name : *names) {
      if (wildcard_match(spec.fields.back(), name)) {
        AttachPointSpec match = spec;
        match.fields.back() = name;
        matches.push_back(std::move(match));
      }
    }
    return matches;
  }

  std::vector<AttachPointSpec> list(const std::vector<std::string> &pattern) const override {
    auto all = expand(AttachPointSpec{"rawtracepoint", {"*"}});
    std::vector<AttachPointSpec> listed;
    if (all)
      for (AttachPointSpec &spec : *all)
        if (fields_match(pattern, spec.fields))
          listed.push_back(std::move(spec));
    return listed;
  }

  // The tracepoint's arguments from the kernel's BTF.
  std::vector<std::string> describe(const AttachPointSpec &spec) const override {
    std::vector<std::string> lines;
    auto function = system::raw_tracepoint_function(spec.fields.back());
    if (!function)
      return lines;
    for (const system::BtfParameter &parameter :
         system::btf_parameters(function->types, function->proto_id, 1))
      lines.push_back("    " + parameter.type + " " + parameter.name);
    return lines;
  }

  bpf_prog_type program_type(const ProgramInfo &) const override {
    return BPF_PROG_TYPE_RAW_TRACEPOINT;
  }

protected:
  Status attach_target(bpf_program *program, const ProgramInfo &, const AttachTarget &target,
                       const AttachOptions &, std::vector<Link> &links) const override {
    return attach_raw_tracepoint(program, target.fields.back(), target.cookie, links);
  }
};

} // namespace

const Provider &rawtracepoint_provider() {
  static const RawTracepointProvider provider;
  return provider;
}

} // namespace sonde::probes
