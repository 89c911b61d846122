#pragma once

// Integer values of object-like macros (`#define NAME expression`), as Clang
// evaluates them: each plausible macro gets a declaration initialised with
// it, appended to the C and parsed again, and the initialisers that Clang
// folds to integers are the values. So `#define MASK (1 << SHIFT)` or a
// macro naming an enumerator work as in C.

#include "types/c_definitions_libclang.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sonde::types {

// The object-like macros defined in files of `unit` whose bodies could be
// expressions: not empty, no braces, semicolons or string literals.
std::vector<std::string> expression_macros(const Libclang &clang, CXTranslationUnit unit);

// C declarations, one a line, that make Clang evaluate `macros`.
std::string macro_probes(const std::vector<std::string> &macros);

// The integer values of the declarations of macro_probes() in `unit`.
// Unsigned values keep their bit pattern.
void read_macro_values(const Libclang &clang, CXTranslationUnit unit,
                       std::map<std::string, int64_t, std::less<>> &values);

} // namespace sonde::types
