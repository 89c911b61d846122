#include "runtime/output/symbols.h"

#include "runtime/output/time_format.h"

#include <cstdio>

namespace sonde::output {

std::string hex_address(uint64_t address) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(address));
  return buf;
}

std::string RawSymbols::probe_name(uint64_t index) {
  if (index < probe_names_.size())
    return probe_names_[index];
  return std::to_string(index);
}

std::string RawSymbols::ksym(uint64_t address) { return hex_address(address); }

std::string RawSymbols::usym(uint64_t address, uint64_t) { return hex_address(address); }

std::vector<StackFrame> RawSymbols::kstack(uint64_t) { return {}; }

std::vector<StackFrame> RawSymbols::ustack(uint64_t, uint64_t) { return {}; }

std::vector<StackFrame> RawSymbols::ustack_build_ids(uint64_t, uint64_t) { return {}; }

std::string RawSymbols::username(uint64_t uid) { return std::to_string(uid); }

std::string RawSymbols::syscall_name(uint64_t nr) { return std::to_string(nr); }

std::string RawSymbols::gfp_flags(uint64_t flags) { return hex_address(flags); }

std::string RawSymbols::cgroup_path(uint64_t cgroup_id, const std::string &) {
  return std::to_string(cgroup_id);
}

std::string RawSymbols::timestamp(uint64_t ns, const std::string &format) {
  return format_time(ns, format);
}

} // namespace sonde::output
