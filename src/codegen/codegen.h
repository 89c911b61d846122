#pragma once

// Lowers a typed program to a BPF object: one LLVM module for the script, one
// BPF program per probe instance, maps BTF-defined in `.maps`.

#include "common/compiled_script.h"
#include "common/diagnostics.h"
#include "sema/sema.h"

#include <functional>
#include <optional>
#include <string>

namespace sonde::codegen {

struct CodegenOptions {
  uint64_t start_ns = 0;          // CLOCK_MONOTONIC at start, for `elapsed`
  uint64_t ncpus = 1;             // possible CPUs, for `ncpus`
  int64_t realtime_offset_ns = 0; // CLOCK_REALTIME - CLOCK_MONOTONIC, for strftime
  uint32_t filter_pid = 0;        // -p: probes that fire in any process run only for it
  bool helper_errors = false;     // -k: report failing helpers at their script location
  // The address of a kernel symbol (binary empty) or of a symbol in a binary,
  // for kaddr()/uaddr(); nothing when there is no such symbol.
  std::function<std::optional<uint64_t>(const std::string &symbol, const std::string &binary)>
      resolve_symbol;
  // When set, filled with the module's IR before and after optimisation.
  std::string *ir_before_opt = nullptr;
  std::string *ir_after_opt = nullptr;
};

// Returns nothing when a construct cannot be lowered; the reason is in diags.
std::optional<CompiledScript> compile(sema::TypedProgram &program, const CodegenOptions &options,
                                      Diagnostics &diags);

// Whether there is a lowering for the builtin function or variable sema's
// registries (sema/builtins.h) know by this name.
bool lowers_function(const std::string &name);
bool lowers_variable(const std::string &name);

} // namespace sonde::codegen
