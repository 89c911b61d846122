#pragma once

// Internal to codegen: which variables a loop's callback (a map loop, a range
// loop with a run-time bound) writes to while they belong to an outer frame.

#include "ast/ast.h"

#include <set>
#include <vector>

namespace sonde::codegen {

struct CallbackVariables {
  // The definitions of variables that a `for ($kv : @m)` body assigns (also
  // with ++, --, op=) while they belong to the probe's frame or an enclosing
  // loop's: the VarDecl, the Variable that first set or read a `let`-less one,
  // or the ForMap of a $kv. The verifier follows such a variable on the stack
  // exactly, so a counter there never lets the callback's states repeat.
  std::set<const ast::Node *> shared;
  // `let`-less variables first set or read inside a map loop's body: they
  // belong to the probe (as sema has it), so codegen defines them, zeroed, in
  // the probe's frame before lowering its body, not in the callback's.
  std::vector<const ast::Variable *> defined_for_callbacks;
};

CallbackVariables variables_shared_with_callbacks(ast::Block &probe_body);

// Whether a `for ($i : a..b)` runs its body in a bpf_loop callback: when a
// bound is read at run time (a variable, a map), so that the verifier, which
// would follow the loop one iteration at a time, checks the body once.
bool range_in_callback(const ast::ForRange &loop);

} // namespace sonde::codegen
