#include "cli/info.h"

#include "cli/info_features.h"
#include "runtime/probes/uprobe_attach.h"
#include "system/tracefs.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

namespace sonde::cli {

namespace {

struct Check {
  bool ok;
  std::string detail;
  bool known = true; // false: only root can tell
};

std::string label(const std::string &what) {
  std::string text = what + ":";
  text.resize(std::max<size_t>(text.size() + 1, 26), ' ');
  return "  " + text;
}

void line(const std::string &what, const Check &check) {
  std::cout << label(what)
            << (!check.known ? "unknown"
                : check.ok   ? "yes"
                             : "no")
            << (check.detail.empty() ? "" : ", ") << check.detail << "\n";
}

Check file_exists(const std::string &path, const std::string &missing) {
  std::error_code error;
  if (std::filesystem::exists(path, error))
    return {true, ""};
  if (error == std::errc::permission_denied)
    return {false, "reading " + path + " needs root", false};
  return {false, missing};
}

Check perf_event(uint32_t type, uint64_t config) {
  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = type;
  attr.config = config;
  attr.disabled = 1;
  attr.sample_period = 1000000;
  int fd = static_cast<int>(syscall(SYS_perf_event_open, &attr, -1, 0, -1, 0));
  if (fd < 0 && (errno == EACCES || errno == EPERM))
    return {false, "perf_event_open needs root", false};
  if (fd < 0)
    return {false, std::string("perf_event_open: ") + std::strerror(errno)};
  close(fd);
  return {true, ""};
}

// Loads the smallest fentry program for vfs_read: the kernel decides.
Check fentry() {
  btf *vmlinux = btf__load_vmlinux_btf();
  if (!vmlinux)
    return {false, "no kernel BTF"};
  int id = btf__find_by_name_kind(vmlinux, "vfs_read", BTF_KIND_FUNC);
  btf__free(vmlinux);
  if (id < 0)
    return {false, "no vfs_read in BTF"};
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
              .attach_btf_id = static_cast<uint32_t>(id));
  int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "sonde_info", "GPL", insns, 2, &opts);
  if (fd < 0 && errno == EPERM)
    return {false, "loading BPF programs needs root", false};
  if (fd < 0)
    return {false, std::string("loading a tracing program: ") + std::strerror(errno)};
  close(fd);
  return {true, ""};
}

Check map_type(bpf_map_type type) {
  int r = libbpf_probe_bpf_map_type(type, nullptr);
  if (r != 1 && geteuid() != 0)
    return {false, "creating BPF maps needs root", false};
  return {r == 1, r == 1 ? "" : "the kernel does not know it"};
}

} // namespace

int print_info() {
  utsname uts{};
  uname(&uts);
  std::cout << "System\n";
  std::cout << label("kernel") << uts.release << "\n";
  line("BTF", file_exists("/sys/kernel/btf/vmlinux", "/sys/kernel/btf/vmlinux is missing: "
                                                     "kernel types need headers"));
  auto tracefs = system::tracefs::root();
  line("tracefs", tracefs ? Check{true, *tracefs} : Check{false, tracefs.error()});
  line("root", {geteuid() == 0, geteuid() == 0 ? "" : "loading BPF programs needs root"});

  std::string root = tracefs ? *tracefs : "/sys/kernel/tracing";
  std::cout << "Probe kinds\n";
  line("begin, end", {true, ""});
  line("tracepoint", file_exists(root + "/events", "no tracefs events"));
  line("rawtracepoint", {true, ""});
  line("kprobe, kretprobe",
       file_exists(root + "/kprobe_events",
                   "the kernel has no kprobes (CONFIG_KPROBES): use tracepoints"));
  line("uprobe, uretprobe, usdt",
       file_exists("/sys/bus/event_source/devices/uprobe", "the kernel has no uprobes"));
  line("fentry, fexit", fentry());
  line("profile, interval", perf_event(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK));
  line("software", perf_event(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS));
  line("hardware", perf_event(PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES));
  line("watchpoint", file_exists("/sys/bus/event_source/devices/breakpoint",
                                 "the kernel has no hardware breakpoints"));

  std::cout << "BPF features\n";
  line("ring buffer", map_type(BPF_MAP_TYPE_RINGBUF));
  line("stack traces", map_type(BPF_MAP_TYPE_STACK_TRACE));
  line("per-CPU hash maps", map_type(BPF_MAP_TYPE_PERCPU_HASH));
  line("LRU hash maps", map_type(BPF_MAP_TYPE_LRU_HASH));

  std::cout << "\n";
  print_bpftrace_features(std::cout);
  bool kprobes = file_exists(root + "/kprobe_events", "").ok;
  bool fentry_loads = fentry().ok;
  // sonde attaches each kprobe on its own; uprobes share a uprobe_multi
  // link where the kernel has them and --no-feature did not turn them off.
  std::cout << "Probe types\n";
  for (auto [name, ok] :
       {std::pair<const char *, bool>{"kprobe", kprobes},
        {"tracepoint", file_exists(root + "/events", "").ok},
        {"perf_event", perf_event(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK).ok},
        {"fentry", fentry_loads},
        {"kfunc", fentry_loads},
        {"kprobe_multi", false},
        {"uprobe_multi", probes::uprobe_multi_supported()},
        {"raw_tp_special", true}})
    std::cout << "  " << name << ": " << (ok ? "yes" : "no") << "\n";
  return 0;
}

} // namespace sonde::cli
