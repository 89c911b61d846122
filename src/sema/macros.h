#pragma once

#include "ast/ast.h"
#include "common/diagnostics.h"

namespace sonde::sema {

// Replaces every call of a script macro in the probes by its expansion.
void expand_macros(ast::Program &program, Diagnostics &diags);

// The error for `name!(…)` when no macro has that name.
std::string macro_call_error(const std::string &name);

// A copy of a probe's predicate and body, for a probe of its own.
std::unique_ptr<ast::Probe> copy_probe(const ast::Probe &probe, Diagnostics &diags);

} // namespace sonde::sema
