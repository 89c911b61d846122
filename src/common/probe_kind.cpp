#include "common/probe_kind.h"

namespace sonde {

namespace {

using enum ProbeContext;
using enum AddressSpace;

std::vector<ProbeKind> make_probe_kinds() {
  std::vector<ProbeKind> kinds;
  kinds.push_back({.name = "begin",
                   .aliases = {"BEGIN"},
                   .reads_by_address = true,
                   .at_start_or_end = true,
                   .section = "raw_tp"});
  kinds.push_back({.name = "end",
                   .aliases = {"END"},
                   .reads_by_address = true,
                   .at_start_or_end = true,
                   .runs_after_exit = true,
                   .section = "raw_tp"});
  kinds.push_back({.name = "test",
                   .reads_by_address = true,
                   .runs_in = RunMode::Test,
                   .runs_after_exit = true,
                   .returns_value = true,
                   .section = "raw_tp"});
  kinds.push_back({.name = "bench",
                   .reads_by_address = true,
                   .runs_in = RunMode::Bench,
                   .runs_after_exit = true,
                   .section = "raw_tp"});
  kinds.push_back({.name = "tracepoint",
                   .aliases = {"t"},
                   .context = TracepointRecord,
                   .join_reads_user = true,
                   .filters_pid = true,
                   .task_kfuncs = true,
                   .section = "tracepoint"});
  kinds.push_back({.name = "rawtracepoint",
                   .aliases = {"rt"},
                   .context = RawArguments,
                   .arguments = ArgumentSource::RawArguments,
                   .filters_pid = true,
                   .args_from_btf = true,
                   .section = "raw_tp"});
  kinds.push_back({.name = "kprobe",
                   .aliases = {"k"},
                   .context = PtRegs,
                   .arguments = ArgumentSource::Registers,
                   .has_func = true,
                   .can_override_return = true,
                   .filters_pid = true,
                   .section = "kprobe"});
  kinds.push_back({.name = "kretprobe",
                   .aliases = {"kr"},
                   .context = PtRegs,
                   .has_retval = true,
                   .has_func = true,
                   .filters_pid = true,
                   .section = "kretprobe"});
  kinds.push_back({.name = "fentry",
                   .aliases = {"f", "kfunc"},
                   .context = BtfArguments,
                   .filters_pid = true,
                   .task_kfuncs = true,
                   .section = "sonde"});
  kinds.push_back({.name = "fexit",
                   .aliases = {"fr", "kretfunc"},
                   .context = BtfArguments,
                   .filters_pid = true,
                   .task_kfuncs = true,
                   .section = "sonde"});
  kinds.push_back({.name = "uprobe",
                   .aliases = {"u"},
                   .context = PtRegs,
                   .address_space = User,
                   .probes_binary = true,
                   .arguments = ArgumentSource::Registers,
                   .has_func = true,
                   .args_from_debug_info = true,
                   .section = "uprobe"});
  kinds.push_back({.name = "uretprobe",
                   .aliases = {"ur"},
                   .context = PtRegs,
                   .address_space = User,
                   .probes_binary = true,
                   .has_retval = true,
                   .has_func = true,
                   .section = "uretprobe"});
  kinds.push_back({.name = "usdt",
                   .aliases = {"U"},
                   .context = PtRegs,
                   .address_space = User,
                   .probes_binary = true,
                   .arguments = ArgumentSource::UsdtOperands,
                   .section = "uprobe"});
  kinds.push_back({.name = "profile",
                   .aliases = {"p"},
                   .context = PerfEvent,
                   .reads_by_address = true,
                   .filters_pid = true,
                   .task_kfuncs = true,
                   .listed_without_count = true,
                   .section = "perf_event"});
  kinds.push_back({.name = "interval",
                   .aliases = {"i"},
                   .context = PerfEvent,
                   .reads_by_address = true,
                   .task_kfuncs = true,
                   .listed_without_count = true,
                   .section = "perf_event"});
  kinds.push_back({.name = "software",
                   .aliases = {"s"},
                   .context = PerfEvent,
                   .reads_by_address = true,
                   .filters_pid = true,
                   .task_kfuncs = true,
                   .listed_without_count = true,
                   .section = "perf_event"});
  kinds.push_back({.name = "hardware",
                   .aliases = {"h"},
                   .context = PerfEvent,
                   .reads_by_address = true,
                   .filters_pid = true,
                   .task_kfuncs = true,
                   .listed_without_count = true,
                   .section = "perf_event"});
  kinds.push_back({.name = "watchpoint",
                   .aliases = {"w"},
                   .context = PerfEvent,
                   .reads_by_address = true,
                   .task_kfuncs = true,
                   .section = "sonde"});
  kinds.push_back({.name = "self", .filters_pid = true, .section = "sonde"});
  return kinds;
}

} // namespace

const std::vector<ProbeKind> &probe_kinds() {
  static const std::vector<ProbeKind> kinds = make_probe_kinds();
  return kinds;
}

const ProbeKind *find_probe_kind(const std::string &name) {
  for (const ProbeKind &kind : probe_kinds()) {
    if (kind.name == name)
      return &kind;
    for (const std::string &alias : kind.aliases)
      if (alias == name)
        return &kind;
  }
  return nullptr;
}

std::string probe_kind_names(bool (*has)(const ProbeKind &)) {
  std::vector<std::string> names;
  for (const ProbeKind &kind : probe_kinds())
    if (has(kind))
      names.push_back(kind.name);
  std::string text;
  for (size_t i = 0; i < names.size(); i++)
    text += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return text;
}

} // namespace sonde
