#pragma once

// Settings a script can change: the `config = { … }` block, and the
// SONDE_<KEY> (or BPFTRACE_<KEY>) environment variables, which win over the
// block (as in bpftrace).

#include "ast/ast.h"
#include "common/diagnostics.h"

#include <cstdint>
#include <optional>
#include <string>

namespace sonde::sema {

enum class MissingProbes { Error, Warn, Ignore };
// BuildId applies to ustack; kstack prints as Bpftrace then.
enum class StackMode { Bpftrace, Perf, Raw, BuildId };
// sonde caches each file's symbols once and resolves addresses with each
// process's own mappings, which is right for every one of these.
enum class UserSymbolCache { PerPid, PerProgram, None };
// An unstable feature (bpftrace's unstable_*): refused, used with a warning,
// or used silently.
enum class Unstable { Error, Warn, Enable };

// The most elements a map can hold (max_map_keys, a declared size): twice
// as many buckets are more than the kernel's hash maps take.
constexpr uint64_t kMaxMapKeys = uint64_t{1} << 27;

struct Config {
  uint64_t max_strlen = 1024;
  uint64_t max_map_keys = 4096;
  uint64_t max_cat_bytes = 10240;
  uint64_t max_probes = 1024;
  uint64_t max_bpf_progs = 1024;
  // Pages of the event ring buffer; unset, sonde sizes it by what the script
  // prints.
  std::optional<uint64_t> perf_rb_pages;
  // Temporaries larger than this many bytes live in scratch memory, not on
  // the 512-byte BPF stack.
  uint64_t on_stack_limit = 32;
  uint64_t log_size = 1000000; // bytes of each program's whole verifier log (-d verifier)
  StackMode stack_mode = StackMode::Bpftrace;
  bool print_maps_on_exit = true;
  bool cpp_demangle = true; // user symbols' C++ names demangled
  // Unset, a process's symbols are read on its first event, while it lives.
  bool lazy_symbolication = false;
  UserSymbolCache cache_user_symbols = UserSymbolCache::PerPid;
  // User stack frames show source lines and inlined calls from debug info.
  bool show_debug_info = true;
  MissingProbes missing_probes = MissingProbes::Error;
  Unstable unstable_tseries = Unstable::Warn;
  Unstable unstable_dw_ustack = Unstable::Warn;
  std::string license = "GPL";
  std::string str_trunc_trailer = ".."; // appended to strings that filled their buffer
};

// bpftrace's unstable features: the function each gates, and its setting
// (config key `unstable_NAME`).
struct UnstableFeature {
  const char *name;
  Unstable Config::*setting;
};
inline constexpr UnstableFeature kUnstableFeatures[] = {
    {"tseries", &Config::unstable_tseries},
    {"dw_ustack", &Config::unstable_dw_ustack},
};

// Reads the script's config block, then the environment (which wins).
Config resolve_config(const ast::Program &program, Diagnostics &diags);

} // namespace sonde::sema
