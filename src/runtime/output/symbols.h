#pragma once

// What the formatters need from the running system to print the values that
// are only numbers in BPF memory (addresses, stack ids, uids, probe indexes).
// The runtime implements it against kallsyms, ELF files, /etc/passwd, …;
// RawSymbols prints the raw numbers, for tests and for output without a
// running session.

#include <cstdint>
#include <string>
#include <vector>

namespace sonde::output {

struct StackFrame {
  uint64_t address = 0;
  // "vfs_read+5"; an inlined frame's function name; empty when unresolved
  std::string symbol;
  // User frames: the mapped file, "[unknown]" when the address is in none.
  std::string module;
  // "/src/file.c:34" from the debug info (config `show_debug_info`).
  std::string source;
  // A call inlined at `address` into the next frame, which has the address too.
  bool inlined = false;
  // ustack's build_id mode: the mapped file's GNU build id ("" when unknown)
  // and the offset of `address` into the file.
  std::string build_id;
  uint64_t file_offset = 0;
};

class Symbols {
public:
  virtual ~Symbols() = default;

  virtual std::string probe_name(uint64_t index) = 0;
  virtual std::string ksym(uint64_t address) = 0;
  // `pid`: the process in the low 32 bits; above them, for `func` of a
  // uprobe, the probe's index + 1 (its function names the address when the
  // process is gone).
  virtual std::string usym(uint64_t address, uint64_t pid) = 0;
  // Innermost frame first.
  virtual std::vector<StackFrame> kstack(uint64_t stack_id) = 0;
  virtual std::vector<StackFrame> ustack(uint64_t stack_id, uint64_t pid) = 0;
  // The frames as build ids and file offsets, unsymbolized.
  virtual std::vector<StackFrame> ustack_build_ids(uint64_t stack_id, uint64_t pid) = 0;
  virtual std::string username(uint64_t uid) = 0;
  virtual std::string syscall_name(uint64_t nr) = 0;
  // "GFP_KERNEL|__GFP_ZERO" (printf's %gr).
  virtual std::string gfp_flags(uint64_t flags) = 0;
  // `filter`: a wildcard over cgroup hierarchy names ("*", "unified").
  virtual std::string cgroup_path(uint64_t cgroup_id, const std::string &filter) = 0;
  // `ns` as stored by the program (CLOCK_REALTIME unless the runtime
  // documents otherwise), formatted with strftime(3) plus `%f` for the
  // microseconds.
  virtual std::string timestamp(uint64_t ns, const std::string &format) = 0;
};

// Prints numbers where a running system would print names: addresses and
// GFP flags in hex, uids and syscall numbers in decimal; stacks are empty. Probe names
// and timestamps are real.
class RawSymbols : public Symbols {
public:
  RawSymbols() = default;
  explicit RawSymbols(std::vector<std::string> probe_names)
      : probe_names_(std::move(probe_names)) {}

  std::string probe_name(uint64_t index) override;
  std::string ksym(uint64_t address) override;
  std::string usym(uint64_t address, uint64_t pid) override;
  std::vector<StackFrame> kstack(uint64_t stack_id) override;
  std::vector<StackFrame> ustack(uint64_t stack_id, uint64_t pid) override;
  std::vector<StackFrame> ustack_build_ids(uint64_t stack_id, uint64_t pid) override;
  std::string username(uint64_t uid) override;
  std::string syscall_name(uint64_t nr) override;
  std::string gfp_flags(uint64_t flags) override;
  std::string cgroup_path(uint64_t cgroup_id, const std::string &filter) override;
  std::string timestamp(uint64_t ns, const std::string &format) override;

private:
  std::vector<std::string> probe_names_;
};

// "0x" and lowercase hex digits, the way addresses are printed everywhere.
std::string hex_address(uint64_t address);

} // namespace sonde::output
