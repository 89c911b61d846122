// Lowering of the facts sema knows when the script is compiled: type
// predicates, assert_str, static_assert, default_str_length, kfunc queries.
#include "codegen/lowerings.h"
#include "sema/builtins.h"

namespace sonde::codegen {

void ProgramCodegen::register_introspection_lowerings(LoweringTable &table) {
  auto type_predicate = [](ProgramCodegen &cg, ast::Call &node) {
    return CgValue{cg.b_.getInt64(sema::type_predicate(node).value_or(false)), node.type};
  };
  for (const char *name :
       {"is_str", "is_ptr", "is_integer", "is_unsigned_integer", "is_array", "is_literal"})
    table.functions[name] = type_predicate;
  // Checked by sema; nothing runs.
  auto checked = [](ProgramCodegen &cg, ast::Call &node) { return cg.no_value(node); };
  table.functions["assert_str"] = checked;
  table.functions["static_assert"] = checked;
  table.functions["default_str_length"] = [](ProgramCodegen &cg, ast::Call &node) {
    return CgValue{cg.b_.getInt64(cg.script_.program.config.max_strlen), node.type};
  };
  auto kfunc_query = [](ProgramCodegen &cg, ast::Call &node) {
    bool answer = sema::kfunc_query(node, *cg.probe_.kind).value_or(false);
    return CgValue{cg.b_.getInt64(answer), node.type};
  };
  table.functions["kfunc_exist"] = kfunc_query;
  table.functions["kfunc_allowed"] = kfunc_query;
}

} // namespace sonde::codegen
