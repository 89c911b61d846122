#pragma once

// Lowers a typed program to a BPF object: one LLVM module for the script, one
// BPF program per probe instance, maps BTF-defined in `.maps`.

#include "common/compiled_script.h"
#include "common/diagnostics.h"
#include "sema/sema.h"

#include <optional>
#include <string>

namespace sonde::codegen {

struct CodegenOptions {
  bool helper_errors = false; // -k: report failing helpers at their script location
  // --aot: kernel struct fields are read at offsets libbpf relocates against
  // the running kernel's BTF (CO-RE), not at this kernel's.
  bool core_relocations = false;
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
