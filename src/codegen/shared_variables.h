#pragma once

// Internal to codegen: which variables a map loop's callback writes to while
// they belong to an outer frame.

#include "ast/ast.h"

#include <set>

namespace sonde::codegen {

// The definitions of variables that a `for ($kv : @m)` body assigns (also
// with ++, --, op=) while they belong to the probe's frame or an enclosing
// loop's: the VarDecl, the Variable that first set or read a `let`-less one,
// or the ForMap of a $kv. The verifier follows such a variable on the stack
// exactly, so a counter there never lets the callback's states repeat.
std::set<const ast::Node *> variables_shared_with_callbacks(ast::Block &probe_body);

} // namespace sonde::codegen
