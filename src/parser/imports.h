#pragma once

// `import "path";` (bpftrace 0.26): the files a script imports, merged into
// its program before sema.

#include "ast/ast.h"
#include "common/diagnostics.h"
#include "parser/parser.h"

#include <string>

namespace sonde::parser {

// Resolves the imports of `program`, read from `script_path` ("" for a
// program given with -e or on stdin: paths are then relative to the current
// directory), and of the scripts they import, in turn:
//
// - a path is relative to the directory of the file that imports it;
// - `.bt` scripts are parsed (their locations carry the id `diags` gives
//   the file, so their messages name it) and their C definitions, map
//   declarations, macros and probes merged, an import's before its
//   importer's; a config block in one is an error;
// - `.h` headers and `.bpf.c` sources become `#include` C definitions; the
//   latter are also listed in `program.bpf_c_files`;
// - a directory imports every such file in it (not its subdirectories), in
//   name order;
// - each file is imported once, and none from a world-writable directory.
//
// False after reporting an error.
bool resolve_imports(ast::Program &program, const std::string &script_path, Diagnostics &diags,
                     const ParseOptions &options);

} // namespace sonde::parser
