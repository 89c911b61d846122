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

// dw_ustack's unwinder (src/codegen/bpf/dwarf_unwind.bpf.c, built into
// sonde as bitcode), for a module that calls it. Throws std::runtime_error
// when it does not link.
void link_dwarf_unwinder(BpfModule &module);

} // namespace sonde::codegen
