#pragma once

// Internal to codegen: the lowering of every builtin, keyed by the name it
// has in sema's registries (sema/builtins.h). Each family registers its
// lowerings in its own file, as sema's families register their rules:
// output.cpp, map_functions.cpp, aggregations.cpp, strings.cpp,
// stacks_symbols.cpp, conversions.cpp, builtins.cpp (variables).

#include "codegen/program_codegen.h"

#include <functional>
#include <map>
#include <string>

namespace sonde::codegen {

// Lowers a call and returns its value (ProgramCodegen::no_value() when it
// has none).
using CallLowering = std::function<CgValue(ProgramCodegen &, ast::Call &)>;
// Lowers an aggregation as the value assigned to a map: `@m[k] = count()`.
using AggregationLowering = std::function<void(ProgramCodegen &, ast::MapRef &, ast::Call &)>;
using VariableLowering = std::function<CgValue(ProgramCodegen &, ast::Identifier &)>;

struct LoweringTable {
  std::map<std::string, CallLowering> functions;
  std::map<std::string, AggregationLowering> aggregations;
  std::map<std::string, VariableLowering> variables;
  VariableLowering argument; // arg0, arg1, … (sema::argument_index)
};

const LoweringTable &lowerings();

// The value of an integer literal argument, negated ones included.
int64_t literal_int(const ast::Expr &e);

} // namespace sonde::codegen
