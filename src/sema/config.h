#pragma once

// Settings a script can change: the `config = { … }` block, overridden by
// nothing; SONDE_<KEY> (or BPFTRACE_<KEY>) environment variables apply when the
// block does not set a key.

#include "ast/ast.h"
#include "common/diagnostics.h"

#include <cstdint>
#include <string>

namespace sonde::sema {

enum class MissingProbes { Error, Warn, Ignore };
enum class StackMode { Bpftrace, Perf, Raw };

// The most elements a map can hold (max_map_keys, a declared size): twice
// as many buckets are more than the kernel's hash maps take.
constexpr uint64_t kMaxMapKeys = uint64_t{1} << 27;

struct Config {
  uint64_t max_strlen = 1024;
  uint64_t max_map_keys = 4096;
  uint64_t max_cat_bytes = 10240;
  uint64_t max_probes = 1024;
  StackMode stack_mode = StackMode::Bpftrace;
  bool print_maps_on_exit = true;
  MissingProbes missing_probes = MissingProbes::Error;
};

// Reads the environment, then the script's config block (which wins).
Config resolve_config(const ast::Program &program, Diagnostics &diags);

} // namespace sonde::sema
