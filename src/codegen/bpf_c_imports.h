#pragma once

// BPF C linked into the script's module: imported `.bpf.c` files
// (ast::Program::bpf_c_files), compiled to BPF bitcode by clang-19, so that
// the calls c_function_calls.cpp lowers reach their definitions; and the BPF
// C that sonde's own builtins call, compiled when sonde is built.

#include "ast/ast.h"
#include "codegen/bpf_module.h"
#include "common/diagnostics.h"

namespace sonde::codegen {

// False after reporting, at the import, a file that does not compile or link.
bool link_bpf_c_files(BpfModule &module, const ast::Program &program, Diagnostics &diags);

// sonde's own BPF C (src/codegen/bpf/, built into sonde as bitcode): each
// file whose function (common/bpf_c_abi.h) the module calls. Throws
// std::runtime_error when one does not link.
void link_sonde_bpf_c(BpfModule &module);

} // namespace sonde::codegen
