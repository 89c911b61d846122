#include "metrics/locked_symbols.h"

namespace sonde::metrics {

std::string LockedSymbols::probe_name(uint64_t index) {
  std::lock_guard held(mutex_);
  return symbols_.probe_name(index);
}

std::string LockedSymbols::ksym(uint64_t address) {
  std::lock_guard held(mutex_);
  return symbols_.ksym(address);
}

std::string LockedSymbols::usym(uint64_t address, uint64_t pid) {
  std::lock_guard held(mutex_);
  return symbols_.usym(address, pid);
}

std::vector<output::StackFrame> LockedSymbols::kstack(uint64_t stack_id) {
  std::lock_guard held(mutex_);
  return symbols_.kstack(stack_id);
}

std::vector<output::StackFrame> LockedSymbols::ustack_build_ids(uint64_t stack_id, uint64_t pid) {
  std::lock_guard held(mutex_);
  return symbols_.ustack_build_ids(stack_id, pid);
}

std::vector<output::StackFrame> LockedSymbols::ustack(uint64_t stack_id, uint64_t pid) {
  std::lock_guard held(mutex_);
  return symbols_.ustack(stack_id, pid);
}

std::string LockedSymbols::username(uint64_t uid) {
  std::lock_guard held(mutex_);
  return symbols_.username(uid);
}

std::string LockedSymbols::gfp_flags(uint64_t flags) {
  std::lock_guard held(mutex_);
  return symbols_.gfp_flags(flags);
}

std::string LockedSymbols::syscall_name(uint64_t nr) {
  std::lock_guard held(mutex_);
  return symbols_.syscall_name(nr);
}

std::string LockedSymbols::cgroup_path(uint64_t cgroup_id, const std::string &filter) {
  std::lock_guard held(mutex_);
  return symbols_.cgroup_path(cgroup_id, filter);
}

std::string LockedSymbols::timestamp(uint64_t ns, const std::string &format) {
  std::lock_guard held(mutex_);
  return symbols_.timestamp(ns, format);
}

} // namespace sonde::metrics
