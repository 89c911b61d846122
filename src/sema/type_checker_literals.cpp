// Literals: integers, strings, bools, positional parameters, tuples, records.
#include "sema/type_checker.h"

#include "sema/integers.h"

#include <cstdint>
#include <cstdlib>

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

void TypeChecker::visit(ast::IntegerLiteral &node) {
  // The smallest signed type that holds it, taking any sign; past int64, a
  // uint64 (bpftrace 0.26).
  if (node.value > static_cast<uint64_t>(INT64_MAX)) {
    node.type = Type::integer(8, false);
    return;
  }
  auto type = std::make_shared<Type>(*literal_type(static_cast<int64_t>(node.value)));
  type->sign_flexible = true;
  node.type = type;
}

void TypeChecker::visit(ast::StringLiteral &node) {
  node.type = Type::string(node.value.size() + 1);
}

void TypeChecker::visit(ast::BoolLiteral &node) { node.type = Type::boolean(); }

std::string TypeChecker::positional_value(int index) const {
  const auto &params = options_.params;
  return index >= 1 && static_cast<size_t>(index) <= params.size() ? params[index - 1] : "";
}

namespace {

// Integer arithmetic of two constants as the BPF program would do it (in
// 64 bits, wrapping); nothing for a division by zero or a comparison.
std::optional<int64_t> fold_constant(ast::BinaryOp op, int64_t l, int64_t r) {
  using Op = ast::BinaryOp;
  auto ul = static_cast<uint64_t>(l), ur = static_cast<uint64_t>(r);
  switch (op) {
  case Op::Add:
    return static_cast<int64_t>(ul + ur);
  case Op::Sub:
    return static_cast<int64_t>(ul - ur);
  case Op::Mul:
    return static_cast<int64_t>(ul * ur);
  case Op::Div:
    return r == 0 ? std::nullopt : std::optional<int64_t>(l / r);
  case Op::Mod:
    return r == 0 ? std::nullopt : std::optional<int64_t>(l % r);
  case Op::BitAnd:
    return l & r;
  case Op::BitOr:
    return l | r;
  case Op::BitXor:
    return l ^ r;
  case Op::Shl:
    return ur < 64 ? std::optional<int64_t>(static_cast<int64_t>(ul << ur)) : std::nullopt;
  case Op::Shr:
    return ur < 64 ? std::optional<int64_t>(static_cast<int64_t>(ul >> ur)) : std::nullopt;
  default:
    return std::nullopt;
  }
}

} // namespace

std::optional<int64_t> TypeChecker::constant_value(ast::Expr &expr) {
  if (auto *lit = dynamic_cast<ast::IntegerLiteral *>(&expr))
    return static_cast<int64_t>(lit->value);
  if (auto *neg = dynamic_cast<ast::Unary *>(&expr); neg && neg->op == ast::UnaryOp::Neg)
    if (auto value = constant_value(*neg->operand))
      return -*value;
  if (auto *bin = dynamic_cast<ast::Binary *>(&expr))
    if (auto l = constant_value(*bin->lhs))
      if (auto r = constant_value(*bin->rhs))
        return fold_constant(bin->op, *l, *r);
  if (auto *param = dynamic_cast<ast::PositionalParam *>(&expr)) {
    if (param->is_count)
      return static_cast<int64_t>(options_.params.size());
    if (check(*param)->kind == Kind::Integer)
      return static_cast<int64_t>(
          std::strtoull(positional_value(param->index).c_str(), nullptr, 0));
  }
  return std::nullopt;
}

void TypeChecker::visit(ast::PositionalParam &node) {
  if (node.is_count) {
    node.type = Type::integer(8, true);
    return;
  }
  const std::string value = positional_value(node.index);
  // A parameter is an integer when it reads as one, else a string; a missing
  // one is 0 (and str() of it the empty string). One past INT64_MAX is
  // unsigned (0xffffffffffffffff).
  char *end = nullptr;
  std::strtoll(value.c_str(), &end, 0);
  if (*end == '\0')
    node.type = Type::integer(8, value.find('-') != std::string::npos ||
                                     std::strtoull(value.c_str(), nullptr, 0) <= INT64_MAX);
  else
    node.type = Type::string(value.size() + 1);
}

void TypeChecker::visit(ast::TupleExpr &node) {
  std::vector<TypePtr> elements;
  for (auto &e : node.elements) {
    auto t = check(*e);
    if (t->kind == Kind::None || t->is_aggregation())
      error(e->loc, "Invalid tuple element of type '" + t->display_name() + "'");
    elements.push_back(storage_type(t));
  }
  node.type = Type::tuple(std::move(elements));
}

void TypeChecker::visit(ast::RecordExpr &node) {
  std::vector<TypePtr> types;
  for (auto &e : node.values)
    types.push_back(storage_type(check(*e)));
  node.type = Type::record(node.names, std::move(types));
}

} // namespace sonde::sema
