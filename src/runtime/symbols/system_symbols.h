#pragma once

// The names behind the numbers that programs record, from the running system:
// kernel symbols (/proc/kallsyms), user symbols (/proc/PID/maps and the ELF
// files mapped), stacks (stack-trace maps), user names, syscall names and
// cgroup paths.
//
// Stack frames carry what the formatter prints: the symbol, `vfs_read+5`;
// for user frames the module, and with debug info (unless
// hide_debug_info()) the source line and a frame for each call inlined at
// the address; raw mode resolves nothing. ksym() and usym() give the bare function name, or the
// address in hex. A uid without a passwd entry has the user name "" (as in bpftrace), a syscall
// number without a name prints as the number, and a cgroup id found in no hierarchy has the path
// "".

#include "runtime/output/symbols.h"
#include "runtime/output/value_formatter.h"
#include "runtime/symbols/cgroup_paths.h"
#include "runtime/symbols/stacks.h"
#include "runtime/symbols/user_symbols.h"
#include "system/kallsyms.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace sonde::symbols {

class SystemSymbols : public output::Symbols {
public:
  // `probe_names`: the script's probe table; `read_stack`: reads kstack and
  // ustack values (see stack_trace_reader()); `stack_mode`: the config's.
  SystemSymbols(std::vector<std::string> probe_names, StackReader read_stack,
                output::StackMode stack_mode);

  // Captures the process's mappings and symbols now, so that its addresses
  // resolve after it exits. Call it while the process is alive, e.g. for
  // the first event of each pid; processes never remembered are read when
  // their first address is printed.
  void remember_process(uint64_t pid);
  // User symbols keep their C++ mangled names (config `cpp_demangle`).
  void keep_mangled_names() { user_.keep_mangled_names(); }
  // User frames without source lines or inlined calls (config
  // `show_debug_info = false`).
  void hide_debug_info() { debug_info_ = false; }

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
  void add_user_frames(uint64_t address, uint64_t pid, std::vector<output::StackFrame> &frames);

  output::RawSymbols raw_; // probe names and timestamps
  StackReader read_stack_;
  output::StackMode stack_mode_;
  bool debug_info_ = true;
  system::Kallsyms &kernel_ = system::Kallsyms::get();
  UserSymbols user_;
  CgroupPaths cgroups_;
  std::unordered_map<uint64_t, std::string> usernames_;
};

} // namespace sonde::symbols
