#pragma once

// `-d dis`: the BPF instructions of each program of a compiled script, as
// LLVM's BPF disassembler prints them.

#include "common/compiled_script.h"

#include <string>

namespace sonde::codegen {

// One block per program: a `; probe (function)` line, then one line per
// instruction with its index. Throws std::runtime_error if the object
// cannot be read.
std::string disassemble(const CompiledScript &script);

} // namespace sonde::codegen
