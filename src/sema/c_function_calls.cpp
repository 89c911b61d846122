// Calls of the functions that imported `.bpf.c` files define: codegen links
// those files into the BPF module and calls the functions directly.

#include "sema/type_checker.h"

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

// What a register holds, and so what passes to and from a C function.
bool register_sized(const Type &type) {
  return type.kind == Kind::Integer || type.kind == Kind::Bool || type.kind == Kind::Pointer;
}

} // namespace

TypePtr TypeChecker::check_c_function_call(ast::Call &node, const CFunction &function) {
  for (auto &arg : node.args)
    check(*arg);
  if (node.args.size() != function.params.size()) {
    error(node.loc, node.name + "() takes " + std::to_string(function.params.size()) +
                        (function.params.size() == 1 ? " argument" : " arguments") + ", " +
                        std::to_string(node.args.size()) + " given");
    return Type::integer(8, true);
  }
  for (size_t i = 0; i < node.args.size(); i++) {
    const Type &param = *function.params[i];
    const Type &arg = *node.args[i]->type;
    if (!register_sized(param))
      error(node.loc, node.name + "() cannot be called: its parameter " + std::to_string(i + 1) +
                          " is a " + param.display_name() +
                          " (integers and pointers can be passed)");
    else if (!register_sized(arg) && arg.kind != Kind::None)
      error(node.args[i]->loc, node.name + "() expects an integer or a pointer as argument " +
                                   std::to_string(i + 1) + ", not a " + arg.display_name());
  }
  const TypePtr &result = function.result;
  bool returns_nothing = result->kind == Kind::None;
  if (!returns_nothing && !register_sized(*result)) {
    error(node.loc, node.name + "() cannot be called: it returns a " + result->display_name() +
                        " (integers and pointers can be returned)");
    return Type::integer(8, true);
  }
  out_.c_functions.emplace(node.name, function);
  return returns_nothing ? Type::none() : result;
}

} // namespace sonde::sema
