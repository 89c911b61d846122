#pragma once

// Statements that can never run: after a `return`, `break` or `continue`, or
// an `exit()` (which returns from the probe), in the same block, or after an
// `if` whose every branch ends so. bpftrace 0.26 warns at the first of them.

#include "ast/ast.h"
#include "common/diagnostics.h"

namespace sonde::sema {

void warn_unreachable(ast::Program &program, Diagnostics &diags);

} // namespace sonde::sema
