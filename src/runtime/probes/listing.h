#pragma once

// `-l [PATTERN]` and `-lv`: the attach points that exist on this machine.

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace sonde::probes {

struct ListedProbe {
  std::string text; // "tracepoint:syscalls:sys_enter_openat"
  // With `verbose`: one line per argument, as `-lv` prints them under the
  // probe ("    const char * filename").
  std::vector<std::string> details;
};

// Every listable attach point matching the wildcard pattern. A pattern that
// starts with a provider name or short name (`t:sched:*`, `uprobe:bash:*`)
// asks that provider alone, which resolves the rest the way it resolves an
// attach point (library short names, default module); any other pattern is
// matched against the whole text of every provider's list (`*sleep*`). A
// bare provider name lists all of that provider's probes. Uprobes and usdt
// probes are listed only for a named binary.
//
// With `pid` (`-l -p PID`), a uprobe, uretprobe or usdt pattern whose binary
// is a wildcard or missing (`uprobe:*:f*`, `usdt`) stands for the files the
// process maps code from, its program and shared libraries, named
// /proc/PID/root/<path> as bpftrace names them. A pattern without a provider
// lists only the process's uprobes and usdt probes.
// The files a process maps code from, in address order, each once, named
// /proc/PID/root/<path>.
std::vector<std::string> process_binaries(pid_t pid);

std::vector<ListedProbe> list_probes(std::string_view pattern, bool verbose,
                                     std::optional<pid_t> pid = std::nullopt);

} // namespace sonde::probes
