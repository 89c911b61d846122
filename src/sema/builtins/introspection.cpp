// Facts known when the script is compiled: is_str, is_ptr, is_integer,
// is_unsigned_integer, is_array, is_literal, assert_str, static_assert,
// default_str_length, kfunc_exist, kfunc_allowed.
#include "sema/builtins.h"
#include "system/btf_functions.h"

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

bool is_literal(const ast::Expr &e) {
  if (auto *neg = dynamic_cast<const ast::Unary *>(&e); neg && neg->op == ast::UnaryOp::Neg)
    return is_literal(*neg->operand);
  return dynamic_cast<const ast::IntegerLiteral *>(&e) ||
         dynamic_cast<const ast::StringLiteral *>(&e) || dynamic_cast<const ast::BoolLiteral *>(&e);
}

bool is_string_like(const Type &t) {
  bool bytes = t.element && t.element->kind == Kind::Integer && t.element->size == 1;
  return t.kind == Kind::String || ((t.kind == Kind::Array || t.kind == Kind::Pointer) && bytes);
}

TypePtr check_type_predicate(TypeChecker &tc, ast::Call &call, bool) {
  if (expect_arg_count(tc, call, 1, 1))
    tc.check(*call.args[0]);
  return Type::boolean();
}

TypePtr check_assert_str(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 1))
    return Type::none();
  auto t = tc.check(*call.args[0]);
  if (!is_string_like(*t))
    tc.error(call.args[0]->loc, "assert_str(): expected a string, got '" + t->display_name() + "'");
  return Type::none();
}

TypePtr check_static_assert(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 2))
    return Type::none();
  tc.check(*call.args[0]);
  const ast::StringLiteral *message = nullptr;
  if (call.args.size() == 2) {
    tc.check(*call.args[1]);
    message = dynamic_cast<const ast::StringLiteral *>(call.args[1].get());
    if (!message)
      tc.error(call.args[1]->loc, "static_assert() expects a string literal message");
  }
  auto holds = compile_time_value(*call.args[0]);
  if (!holds)
    tc.error(call.args[0]->loc, "static_assert() needs a condition known at compile time");
  else if (*holds == 0)
    tc.error(call.loc, message ? message->value : "static_assert failed");
  return Type::none();
}

TypePtr check_default_str_length(TypeChecker &tc, ast::Call &call, bool) {
  expect_arg_count(tc, call, 0, 0);
  return Type::integer(8, false);
}

TypePtr check_kfunc_query(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 1))
    return Type::boolean();
  tc.check(*call.args[0]);
  if (!dynamic_cast<ast::StringLiteral *>(call.args[0].get()))
    tc.error(call.args[0]->loc, call.name + "() expects a kfunc name as a string literal");
  return Type::boolean();
}

} // namespace

std::optional<bool> type_predicate(const ast::Call &call) {
  if (call.args.size() != 1 || !call.args[0]->type)
    return std::nullopt;
  const Type &t = *call.args[0]->type;
  if (call.name == "is_str")
    return t.kind == Kind::String;
  if (call.name == "is_ptr")
    return t.kind == Kind::Pointer;
  if (call.name == "is_integer")
    return t.kind == Kind::Integer;
  if (call.name == "is_unsigned_integer")
    return t.kind == Kind::Integer && !t.is_signed;
  if (call.name == "is_array")
    return t.kind == Kind::Array;
  if (call.name == "is_literal")
    return is_literal(*call.args[0]);
  return std::nullopt;
}

std::optional<bool> kfunc_query(const ast::Call &call, const ProbeKind &kind) {
  auto *name = dynamic_cast<const ast::StringLiteral *>(call.args.at(0).get());
  if (!name)
    return std::nullopt;
  bool exists = system::kernel_function("", name->value).ok();
  // Tracing programs (fentry, fexit) are the kind kfuncs are registered for.
  if (call.name == "kfunc_allowed")
    return exists && kind.context == ProbeContext::BtfArguments;
  return exists;
}

std::optional<int64_t> compile_time_value(const ast::Expr &e) {
  if (auto *lit = dynamic_cast<const ast::IntegerLiteral *>(&e))
    return static_cast<int64_t>(lit->value);
  if (auto *lit = dynamic_cast<const ast::BoolLiteral *>(&e))
    return lit->value;
  if (auto *call = dynamic_cast<const ast::Call *>(&e))
    return type_predicate(*call);
  if (auto *unary = dynamic_cast<const ast::Unary *>(&e)) {
    auto v = compile_time_value(*unary->operand);
    if (!v)
      return std::nullopt;
    if (unary->op == ast::UnaryOp::Not)
      return !*v;
    if (unary->op == ast::UnaryOp::Neg)
      return -*v;
    return std::nullopt;
  }
  auto *binary = dynamic_cast<const ast::Binary *>(&e);
  if (!binary)
    return std::nullopt;
  auto l = compile_time_value(*binary->lhs);
  auto r = compile_time_value(*binary->rhs);
  if (!l || !r)
    return std::nullopt;
  using Op = ast::BinaryOp;
  switch (binary->op) {
  case Op::Eq:
    return *l == *r;
  case Op::Ne:
    return *l != *r;
  case Op::Lt:
    return *l < *r;
  case Op::Le:
    return *l <= *r;
  case Op::Gt:
    return *l > *r;
  case Op::Ge:
    return *l >= *r;
  case Op::LogicalAnd:
    return *l && *r;
  case Op::LogicalOr:
    return *l || *r;
  default:
    return std::nullopt;
  }
}

void register_introspection_functions(FunctionTable &table) {
  for (const char *name :
       {"is_str", "is_ptr", "is_integer", "is_unsigned_integer", "is_array", "is_literal"})
    table[name] = check_type_predicate;
  table["assert_str"] = check_assert_str;
  table["static_assert"] = check_static_assert;
  table["default_str_length"] = check_default_str_length;
  table["kfunc_exist"] = check_kfunc_query;
  table["kfunc_allowed"] = check_kfunc_query;
}

} // namespace sonde::sema
