#pragma once

#include "ast/ast.h"
#include "common/diagnostics.h"

namespace sonde::sema {

// Replaces every call of a script macro in the probes by its expansion.
void expand_macros(ast::Program &program, Diagnostics &diags);

} // namespace sonde::sema
