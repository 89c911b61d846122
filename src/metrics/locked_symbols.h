#pragma once

// Symbols shared by the main thread (event output, maps at exit) and the
// metrics server's thread: each lookup holds a mutex, as the runtime's
// symbol caches are not thread-safe.

#include "runtime/output/symbols.h"

#include <mutex>

namespace sonde::metrics {

class LockedSymbols : public output::Symbols {
public:
  explicit LockedSymbols(output::Symbols &symbols) : symbols_(symbols) {}

  // For changes to the wrapped symbols outside these calls.
  std::unique_lock<std::mutex> lock() { return std::unique_lock(mutex_); }

  std::string probe_name(uint64_t index) override;
  std::string ksym(uint64_t address) override;
  std::string usym(uint64_t address, uint64_t pid) override;
  std::vector<output::StackFrame> kstack(uint64_t stack_id) override;
  std::vector<output::StackFrame> ustack(uint64_t stack_id, uint64_t pid) override;
  std::vector<output::StackFrame> ustack_build_ids(uint64_t stack_id, uint64_t pid) override;
  std::string username(uint64_t uid) override;
  std::string syscall_name(uint64_t nr) override;
  std::string gfp_flags(uint64_t flags) override;
  std::string cgroup_path(uint64_t cgroup_id, const std::string &filter) override;
  std::string timestamp(uint64_t ns, const std::string &format) override;

private:
  output::Symbols &symbols_;
  std::mutex mutex_;
};

} // namespace sonde::metrics
