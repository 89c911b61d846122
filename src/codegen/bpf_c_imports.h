#pragma once

// Imported `.bpf.c` files (ast::Program::bpf_c_files): compiled to BPF
// bitcode by clang-19 and linked into the script's module, so that the calls
// c_function_calls.cpp lowers reach their definitions.

#include "ast/ast.h"
#include "codegen/bpf_module.h"
#include "common/diagnostics.h"

namespace sonde::codegen {

// False after reporting, at the import, a file that does not compile or link.
bool link_bpf_c_files(BpfModule &module, const ast::Program &program, Diagnostics &diags);

} // namespace sonde::codegen
