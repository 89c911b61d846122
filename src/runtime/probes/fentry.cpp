// `fentry:[<module>:]<function>` and `fexit:[<module>:]<function>` (also
// `kfunc`/`kretfunc`): kernel functions through BPF trampolines, typed by
// the kernel's BTF. The context is an array of u64: the function's
// arguments in order, then (fexit) its return value. A tracing program is
// bound to its function when it loads, so each program has one target.

#include "runtime/probes/probe_suggestion.h"
#include "runtime/probes/provider.h"
#include "runtime/probes/wildcard.h"
#include "system/btf_functions.h"
#include "system/kernel_btf.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace sonde::probes {

namespace {

// Whether the kernel loads tracing programs (BPF trampolines): the smallest
// fentry program of vfs_read, tried once.
bool kernel_has_trampolines() {
  static const bool loads = [] {
    btf *vmlinux = btf__load_vmlinux_btf();
    if (!vmlinux)
      return false;
    int id = btf__find_by_name_kind(vmlinux, "vfs_read", BTF_KIND_FUNC);
    btf__free(vmlinux);
    if (id < 0)
      return false;
    const bpf_insn return_zero[] = {
        {BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0},
        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
    };
    LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
                .attach_btf_id = static_cast<uint32_t>(id));
    int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "sonde_probe", "GPL", return_zero, 2, &opts);
    if (fd < 0)
      return false;
    close(fd);
    return true;
  }();
  return loads;
}

class FentryProvider : public Provider {
public:
  FentryProvider(std::string_view name, bpf_attach_type attach_type)
      : name_(name), attach_type_(attach_type) {}

  std::string_view name() const override { return name_; }

  Expected<AttachPointSpec> canonicalize(AttachPointSpec spec) const override {
    bool valid = (spec.fields.size() == 1 || spec.fields.size() == 2);
    for (const std::string &field : spec.fields)
      valid = valid && !field.empty();
    if (!valid)
      return error(std::string(name_) + " probes need a kernel function: " + std::string(name_) +
                   ":[<module>:]<function>");
    if (spec.fields.size() == 2 && spec.fields[0] == "bpf")
      return error(std::string(name_) + " probes on BPF programs are not supported");
    if (spec.fields.size() == 1) {
      if (has_wildcard(spec.fields[0])) {
        spec.fields.insert(spec.fields.begin(), "*");
      } else {
        auto function = system::kernel_function("", spec.fields[0]);
        if (!function)
          return error(function.error());
        spec.fields.insert(spec.fields.begin(), function->module);
      }
    }
    return spec;
  }

  Expected<std::vector<AttachPointSpec>> expand(const AttachPointSpec &spec) const override {
    std::vector<AttachPointSpec> matches;
    for (const std::string &module : system::KernelBtf::get().modules()) {
      if (!wildcard_match(spec.fields[0], module))
        continue;
      for (const std::string &function : system::kernel_functions(
               module, [&](std::string_view name) { return wildcard_match(spec.fields[1], name); }))
        matches.push_back(AttachPointSpec{std::string(name_), {module, function}});
    }
    if (matches.empty() && !has_wildcard(spec.text()))
      return error("no kernel function '" + spec.fields[1] + "' in the BTF of " + spec.fields[0]);
    return matches;
  }

  // `fentry:vfs_*` matches in every module, `fentry:vmlinux:vfs_*` in one;
  // nothing where the kernel loads no tracing programs (what --info says).
  std::vector<AttachPointSpec> list(const std::vector<std::string> &pattern) const override {
    std::vector<AttachPointSpec> listed;
    if (!kernel_has_trampolines())
      return listed;
    for (const std::string &module : system::KernelBtf::get().modules())
      for (const std::string &function :
           system::kernel_functions(module, [](std::string_view) { return true; })) {
        AttachPointSpec spec{std::string(name_), {module, function}};
        if (fields_match(pattern, spec.fields) ||
            (pattern.size() == 1 && wildcard_match(pattern[0], function)))
          listed.push_back(std::move(spec));
      }
    return listed;
  }

  // The function's parameters, then its return value unless void.
  std::vector<std::string> describe(const AttachPointSpec &spec) const override {
    std::vector<std::string> lines;
    auto function = system::kernel_function(spec.fields.at(0), spec.fields.at(1));
    if (!function)
      return lines;
    for (const system::BtfParameter &parameter :
         system::btf_parameters(function->types, function->proto_id))
      lines.push_back("    " + parameter.type + " " + parameter.name);
    uint32_t return_type = btf__type_by_id(function->types, function->proto_id)->type;
    if (return_type != 0)
      lines.push_back("    " + system::btf_type_name(function->types, return_type) + " retval");
    return lines;
  }

  bpf_prog_type program_type(const ProgramInfo &) const override { return BPF_PROG_TYPE_TRACING; }

  Status prepare(bpf_program *program, const ProgramInfo &info) const override {
    if (info.targets.size() != 1)
      return error("an " + std::string(name_) +
                   " program is bound to one function when it loads; this one has " +
                   std::to_string(info.targets.size()) + " targets");
    const AttachTarget &target = info.targets.front();
    auto function = system::kernel_function(target.fields.at(0), target.fields.at(1));
    if (!function)
      return error("cannot load " + target.spec + ": " + function.error());
    if (function->module == "vmlinux")
      if (int error = trampoline_load_error(function->func_id); error != 0)
        return sonde::error("cannot load " + target.spec +
                            ": this kernel refuses fentry/fexit programs (" + std::strerror(error) +
                            "); " + nearest_working_probe(target.fields[1], is_exit()));
    if (bpf_program__set_expected_attach_type(program, attach_type_) != 0 ||
        bpf_program__set_attach_target(program, 0, target.fields[1].c_str()) != 0)
      return error("cannot load " + target.spec + ": " + std::strerror(errno));
    return {};
  }

  Expected<size_t> attach(bpf_program *program, const ProgramInfo &info, const AttachOptions &,
                          std::vector<Link> &links) const override {
    const AttachTarget &target = info.targets.front();
    LIBBPF_OPTS(bpf_trace_opts, opts, .cookie = target.cookie);
    bpf_link *link = bpf_program__attach_trace_opts(program, &opts);
    if (!link)
      return error("cannot attach " + target.spec + ": " + std::strerror(errno));
    links.emplace_back(link);
    return 1;
  }

private:
  bool is_exit() const { return attach_type_ == BPF_TRACE_FEXIT; }

  // Loads the smallest program of this kind for the function: 0 when the
  // kernel accepts it, else its errno (EPERM where trampolines are off).
  int trampoline_load_error(uint32_t func_id) const {
    const bpf_insn return_zero[] = {
        {BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0},
        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
    };
    LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach_type_,
                .attach_btf_id = func_id);
    int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, nullptr, "GPL", return_zero, 2, &opts);
    if (fd < 0)
      return errno;
    close(fd);
    return 0;
  }

  std::string_view name_;
  bpf_attach_type attach_type_;
};

} // namespace

const Provider &fentry_provider() {
  static const FentryProvider provider("fentry", BPF_TRACE_FENTRY);
  return provider;
}

const Provider &fexit_provider() {
  static const FentryProvider provider("fexit", BPF_TRACE_FEXIT);
  return provider;
}

} // namespace sonde::probes
