#pragma once

// What to use instead of a kernel-function probe (kprobe, fentry) that this
// kernel cannot run: the syscall tracepoint of a syscall's function, a
// tracepoint named like the function, or any tracepoint.

#include <string>

namespace sonde::probes {

// "use tracepoint:syscalls:sys_enter_read instead" for `__x64_sys_read`
// (sys_exit_read when `on_return`), "use tracepoint:sched:sched_switch
// instead" for a tracepoint of that name, else "use a tracepoint (sonde -l
// 'tracepoint:*')".
std::string nearest_working_probe(const std::string &function, bool on_return);

} // namespace sonde::probes
