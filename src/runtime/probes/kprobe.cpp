// `kprobe:[<module>:]<function>[+<offset>]` and `kretprobe:[<module>:]<function>`:
// kernel functions, by name or wildcard. The context is the kernel's
// struct pt_regs at the probed instruction (for kretprobes, at the return).
// Kernels built without CONFIG_KPROBES load these programs but cannot
// attach them; the error then says so and names a probe that works.

#include "runtime/probes/probe_suggestion.h"
#include "runtime/probes/provider.h"
#include "runtime/probes/wildcard.h"
#include "system/kernel_functions.h"
#include "system/tracefs.h"

#include <bpf/libbpf.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <unistd.h>

namespace sonde::probes {

namespace {

constexpr const char *kKprobePmu = "/sys/bus/event_source/devices/kprobe/type";

// The function field split at '+': name and offset.
struct FunctionField {
  std::string name;
  uint64_t offset = 0;
};

Expected<FunctionField> parse_function(const std::string &field) {
  FunctionField function;
  size_t plus = field.find('+');
  function.name = field.substr(0, plus);
  if (plus == std::string::npos)
    return function;
  std::string_view offset = std::string_view(field).substr(plus + 1);
  int base = 10;
  if (offset.starts_with("0x")) {
    offset.remove_prefix(2);
    base = 16;
  }
  auto [end, ec] =
      std::from_chars(offset.data(), offset.data() + offset.size(), function.offset, base);
  if (ec != std::errc() || end != offset.data() + offset.size() || offset.empty())
    return error("invalid offset in '" + field + "': expected <function>+<number>");
  return function;
}

// Whether this kernel can create kprobes at all: through the kprobe PMU or
// tracefs's legacy kprobe_events file.
bool kernel_has_kprobes() {
  if (access(kKprobePmu, R_OK) == 0)
    return true;
  auto root = system::tracefs::root();
  return root && access((*root + "/kprobe_events").c_str(), W_OK) == 0;
}

class KprobeProvider : public PerTargetProvider {
public:
  KprobeProvider(std::string_view name, bool retprobe) : name_(name), retprobe_(retprobe) {}

  std::string_view name() const override { return name_; }

  Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override {
    bool valid = (spec.fields.size() == 1 || spec.fields.size() == 2);
    for (const std::string &field : spec.fields)
      valid = valid && !field.empty();
    if (!valid)
      return error(std::string(name_) + " probes need a kernel function: " + std::string(name_) +
                   ":[<module>:]<function>" + (retprobe_ ? "" : "[+<offset>]"));
    if (spec.fields.size() == 2 && spec.fields[0] == "vmlinux")
      spec.fields.erase(spec.fields.begin());
    auto function = parse_function(spec.fields.back());
    if (!function)
      return error(function.error());
    if (function->offset != 0 && retprobe_)
      return error(std::string(name_) + " probes attach to a function's return; " +
                   "they take no offset");
    if (function->offset != 0 && has_wildcard(function->name))
      return error("a wildcard function cannot take an offset: '" + spec.fields.back() + "'");
    return spec;
  }

  Expected<std::vector<AttachPointSpec>> expand(const AttachPointSpec &spec) const override {
    auto function = parse_function(spec.fields.back());
    std::string module_pattern = spec.fields.size() == 2 ? spec.fields[0] : "";
    std::vector<AttachPointSpec> matches;
    for (const system::KernelFunction &candidate : system::kernel_functions()) {
      bool module_matches = spec.fields.size() == 2
                                ? wildcard_match(module_pattern, candidate.module)
                                : candidate.module.empty();
      if (module_matches && wildcard_match(function->name, candidate.name))
        matches.push_back(spec_of(candidate, spec.fields.back(), has_wildcard(function->name)));
    }
    if (matches.empty() && !has_wildcard(spec.text()))
      return error("no kernel function '" + function->name + "'" +
                   (module_pattern.empty() ? "" : " in module " + module_pattern));
    return matches;
  }

  // Nothing on a kernel that cannot create kprobes (what --info says).
  std::vector<AttachPointSpec> list(const std::vector<std::string> &pattern) const override {
    std::vector<AttachPointSpec> listed;
    if (!kernel_has_kprobes())
      return listed;
    for (const system::KernelFunction &function : system::kernel_functions()) {
      AttachPointSpec spec = spec_of(function, function.name, true);
      if (fields_match(pattern, spec.fields))
        listed.push_back(std::move(spec));
    }
    return listed;
  }

  bpf_prog_type program_type(const ProgramInfo &) const override { return BPF_PROG_TYPE_KPROBE; }

protected:
  Status attach_target(bpf_program *program, const ProgramInfo &, const AttachTarget &target,
                       const AttachOptions &, std::vector<Link> &links) const override {
    auto function = parse_function(target.fields.back());
    if (!function)
      return error("cannot attach " + target.spec + ": " + function.error());
    if (!kernel_has_kprobes())
      return error("cannot attach " + target.spec +
                   ": this kernel has no kprobes (built without CONFIG_KPROBES); " +
                   nearest_working_probe(function->name, retprobe_));
    LIBBPF_OPTS(bpf_kprobe_opts, opts, .bpf_cookie = target.cookie, .offset = function->offset,
                .retprobe = retprobe_);
    bpf_link *link = bpf_program__attach_kprobe_opts(program, function->name.c_str(), &opts);
    if (!link)
      return error("cannot attach " + target.spec + ": " + std::strerror(errno));
    links.emplace_back(link);
    return {};
  }

private:
  // The attach point of a kernel function: the written field when it names
  // one function (keeping its offset), else the function's own name.
  AttachPointSpec spec_of(const system::KernelFunction &function, const std::string &field,
                          bool matched_a_wildcard) const {
    std::string last = matched_a_wildcard ? function.name : field;
    if (function.module.empty())
      return AttachPointSpec{std::string(name_), {last}};
    return AttachPointSpec{std::string(name_), {function.module, last}};
  }

  std::string_view name_;
  bool retprobe_;
};

} // namespace

const Provider &kprobe_provider() {
  static const KprobeProvider provider("kprobe", false);
  return provider;
}

const Provider &kretprobe_provider() {
  static const KprobeProvider provider("kretprobe", true);
  return provider;
}

} // namespace sonde::probes
