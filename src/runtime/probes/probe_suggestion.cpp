#include "runtime/probes/probe_suggestion.h"

#include "system/tracefs.h"

#include <array>
#include <string_view>

namespace sonde::probes {

namespace {

// Prefixes of the kernel functions behind a syscall X (x86-64 wrappers,
// their generic bodies, helpers).
constexpr std::array<std::string_view, 7> kSyscallPrefixes = {
    "__x64_sys_", "__ia32_sys_", "__se_sys_", "__do_sys_", "__sys_", "ksys_", "sys_"};

std::string syscall_tracepoint(const std::string &function, bool on_return) {
  std::string event_prefix = on_return ? "sys_exit_" : "sys_enter_";
  std::string name = function;
  for (std::string_view prefix : kSyscallPrefixes)
    if (function.starts_with(prefix)) {
      name = function.substr(prefix.size());
      break;
    }
  if (system::tracefs::event_exists("syscalls", event_prefix + name))
    return "tracepoint:syscalls:" + event_prefix + name;
  return "";
}

std::string same_name_tracepoint(const std::string &function) {
  auto categories = system::tracefs::categories();
  if (!categories)
    return "";
  for (const std::string &category : *categories)
    if (category != "syscalls" && system::tracefs::event_exists(category, function))
      return "tracepoint:" + category + ":" + function;
  return "";
}

} // namespace

std::string nearest_working_probe(const std::string &function, bool on_return) {
  std::string probe = syscall_tracepoint(function, on_return);
  if (probe.empty())
    probe = same_name_tracepoint(function);
  if (probe.empty())
    return "use a tracepoint (sonde -l 'tracepoint:*')";
  return "use " + probe + " instead";
}

} // namespace sonde::probes
