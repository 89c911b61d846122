#include "codegen/lowerings.h"

#include "sema/builtins.h"

namespace sonde::codegen {

const LoweringTable &lowerings() {
  static const LoweringTable table = [] {
    LoweringTable t;
    ProgramCodegen::register_output_lowerings(t);
    ProgramCodegen::register_map_lowerings(t);
    ProgramCodegen::register_aggregation_lowerings(t);
    ProgramCodegen::register_string_lowerings(t);
    ProgramCodegen::register_symbol_lowerings(t);
    ProgramCodegen::register_conversion_lowerings(t);
    ProgramCodegen::register_variable_lowerings(t);
    ProgramCodegen::register_introspection_lowerings(t);
    return t;
  }();
  return table;
}

bool lowers_function(const std::string &name) {
  return lowerings().functions.count(name) || lowerings().aggregations.count(name);
}

bool lowers_variable(const std::string &name) {
  return lowerings().variables.count(name) || (sema::argument_index(name) && lowerings().argument);
}

int64_t literal_int(const ast::Expr &e) {
  if (auto *lit = dynamic_cast<const ast::IntegerLiteral *>(&e))
    return static_cast<int64_t>(lit->value);
  if (auto *neg = dynamic_cast<const ast::Unary *>(&e))
    return -literal_int(*neg->operand);
  return 0;
}

CgValue ProgramCodegen::no_value(const ast::Expr &node) { return {b_.getInt64(0), node.type}; }

void ProgramCodegen::visit(ast::Call &node) {
  auto lowering = lowerings().functions.find(node.name);
  if (lowering == lowerings().functions.end()) {
    auto function = script_.program.c_functions.find(node.name);
    if (function != script_.program.c_functions.end()) {
      result_ = c_function_call(node, function->second);
      return;
    }
    throw std::runtime_error(node.name + "() is not supported by the code generator yet");
  }
  result_ = lowering->second(*this, node);
}

CgValue ProgramCodegen::builtin_variable(ast::Identifier &node) {
  if (node.constant)
    return {b_.getInt64(static_cast<uint64_t>(*node.constant)), node.type};
  if (auto lowering = lowerings().variables.find(node.name);
      lowering != lowerings().variables.end())
    return lowering->second(*this, node);
  if (sema::argument_index(node.name))
    return lowerings().argument(*this, node);
  throw std::runtime_error(node.name + " is not supported by the code generator yet");
}

} // namespace sonde::codegen
