#pragma once

#include "ast/ast.h"

#include <iosfwd>

namespace sonde::ast {

// Prints the tree in a stable indented form (for `--emit ast` and tests).
void print(const Program &program, std::ostream &out);

} // namespace sonde::ast
