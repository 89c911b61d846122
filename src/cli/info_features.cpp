#include "cli/info_features.h"

#include <bpf/libbpf.h>

#include <filesystem>
#include <string>

namespace sonde::cli {

namespace {

const char *yes_no(bool value) { return value ? "yes" : "no"; }

bool helper(bpf_prog_type program, bpf_func_id id) {
  return libbpf_probe_bpf_helper(program, id, nullptr) == 1;
}

bool map_type(bpf_map_type type) { return libbpf_probe_bpf_map_type(type, nullptr) == 1; }

bool program_type(bpf_prog_type type) { return libbpf_probe_bpf_prog_type(type, nullptr) == 1; }

// Modules' split BTF sits beside vmlinux's.
bool has_module_btf() {
  std::error_code error;
  for (const auto &entry : std::filesystem::directory_iterator("/sys/kernel/btf", error))
    if (entry.path().filename() != "vmlinux")
      return true;
  return false;
}

void key(std::ostream &out, const std::string &name, bool value) {
  out << "  " << name << ": " << yes_no(value) << "\n";
}

} // namespace

void print_bpftrace_features(std::ostream &out) {
  out << "Build\n";
  out << "  version: " << SONDE_VERSION << "\n";
  key(out, "libdw (DWARF support)", true);
  key(out, "blazesym (advanced symbolization)", false);
  out << "\n";

  const bpf_prog_type kprobe = BPF_PROG_TYPE_KPROBE;
  out << "Kernel helpers\n";
  key(out, "probe_read", helper(kprobe, BPF_FUNC_probe_read));
  key(out, "probe_read_str", helper(kprobe, BPF_FUNC_probe_read_str));
  key(out, "probe_read_user", helper(kprobe, BPF_FUNC_probe_read_user));
  key(out, "probe_read_user_str", helper(kprobe, BPF_FUNC_probe_read_user_str));
  key(out, "probe_read_kernel", helper(kprobe, BPF_FUNC_probe_read_kernel));
  key(out, "probe_read_kernel_str", helper(kprobe, BPF_FUNC_probe_read_kernel_str));
  key(out, "get_current_cgroup_id", helper(kprobe, BPF_FUNC_get_current_cgroup_id));
  key(out, "send_signal", helper(kprobe, BPF_FUNC_send_signal));
  key(out, "override_return", helper(kprobe, BPF_FUNC_override_return));
  key(out, "get_boot_ns", helper(kprobe, BPF_FUNC_ktime_get_boot_ns));
  key(out, "dpath", helper(BPF_PROG_TYPE_TRACING, BPF_FUNC_d_path));
  key(out, "skboutput", helper(BPF_PROG_TYPE_TRACING, BPF_FUNC_skb_output));
  key(out, "get_tai_ns", helper(kprobe, BPF_FUNC_ktime_get_tai_ns));
  key(out, "get_func_ip", helper(kprobe, BPF_FUNC_get_func_ip));
  key(out, "jiffies64", helper(kprobe, BPF_FUNC_jiffies64));
  key(out, "for_each_map_elem", helper(kprobe, BPF_FUNC_for_each_map_elem));
  key(out, "get_ns_current_pid_tgid", helper(kprobe, BPF_FUNC_get_ns_current_pid_tgid));
  key(out, "lookup_percpu_elem", helper(kprobe, BPF_FUNC_map_lookup_percpu_elem));
  out << "\n";

  out << "Kernel features\n";
  out << "  Instruction limit: 1000000\n";
  key(out, "Loop support", true);
  key(out, "btf", std::filesystem::exists("/sys/kernel/btf/vmlinux"));
  key(out, "module btf", has_module_btf());
  key(out, "map batch", true);
  out << "\n";

  out << "Map types\n";
  key(out, "hash", map_type(BPF_MAP_TYPE_HASH));
  key(out, "percpu hash", map_type(BPF_MAP_TYPE_PERCPU_HASH));
  key(out, "array", map_type(BPF_MAP_TYPE_ARRAY));
  key(out, "percpu array", map_type(BPF_MAP_TYPE_PERCPU_ARRAY));
  key(out, "stack_trace", map_type(BPF_MAP_TYPE_STACK_TRACE));
  key(out, "perf_event_array", map_type(BPF_MAP_TYPE_PERF_EVENT_ARRAY));
  key(out, "ringbuf", map_type(BPF_MAP_TYPE_RINGBUF));
  out << "\n";
}

} // namespace sonde::cli
