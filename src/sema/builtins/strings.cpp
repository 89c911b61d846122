// str, strncmp, strcontains, strstr, strlen, strcap, memcmp: functions over
// strings and bytes.
#include "sema/builtins.h"

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

bool is_string(const TypePtr &t) { return t->kind == Kind::String; }

TypePtr check_str(TypeChecker &tc, ast::Call &call, bool) {
  uint64_t size = tc.config().max_strlen;
  if (!expect_arg_count(tc, call, 1, 2))
    return Type::string(size);
  auto t = tc.check(*call.args[0]);
  if (t->kind == Kind::ProbeName) {
    // The name of the probe that fired, as text.
    size = 1;
    for (const auto &target : tc.instance().targets)
      size = std::max<uint64_t>(size, target.spec.size() + 1);
    return Type::string(size);
  }
  if (!t->is_integer_like() && t->kind != Kind::Pointer && !is_string(t) && t->kind != Kind::Array)
    tc.error(call.args[0]->loc,
             "str() expects a pointer or string, got '" + t->display_name() + "'");
  if (is_string(t))
    size = t->size;
  if (call.args.size() == 2) {
    auto *lit = dynamic_cast<ast::IntegerLiteral *>(call.args[1].get());
    if (lit) {
      tc.check(*lit);
      // n bytes: n - 1 characters and the NUL.
      if (lit->value < size)
        size = std::max<uint64_t>(lit->value, 1);
    } else {
      expect_integer_arg(tc, *call.args[1], "str");
    }
  }
  return Type::string(size);
}

TypePtr check_strncmp(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 3, 3))
    return Type::integer(8, true);
  for (int i = 0; i < 2; i++)
    if (!is_string(tc.check_string(call.args[i])))
      tc.error(call.args[i]->loc, "strncmp() expects strings");
  constant_integer_arg(tc, *call.args[2], "strncmp");
  return Type::integer(8, true);
}

TypePtr check_strcontains(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 2, 2))
    return Type::boolean();
  for (auto &a : call.args)
    if (!is_string(tc.check_string(a)))
      tc.error(a->loc, "strcontains() expects strings");
  return Type::boolean();
}

bool is_string_like(const TypePtr &t) {
  bool bytes = t->element && t->element->kind == Kind::Integer && t->element->size == 1;
  return is_string(t) || ((t->kind == Kind::Array || t->kind == Kind::Pointer) && bytes);
}

// strlen, strcap: a string, an int8 array or an int8 pointer.
TypePtr check_string_size(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 1))
    return Type::integer(8, false);
  auto t = tc.check_string(call.args[0]);
  if (!is_string_like(t))
    tc.error(call.args[0]->loc, call.name +
                                    "() expects a string, an int8 array or an int8 "
                                    "pointer, got '" +
                                    t->display_name() + "'");
  return Type::integer(8, call.name == "strcap");
}

TypePtr check_strstr(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 2, 2))
    return Type::integer(8, true);
  for (auto &a : call.args)
    if (!is_string(tc.check_string(a)))
      tc.error(a->loc, "strstr() expects strings");
  return Type::integer(8, true);
}

// memcmp(a, b, n): the first n bytes of two values; n is a constant no
// larger than either.
TypePtr check_memcmp(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 3, 3))
    return Type::integer(8, true);
  uint64_t smallest = UINT64_MAX;
  for (int i = 0; i < 2; i++) {
    auto t = tc.check(*call.args[i]);
    if (t->kind == Kind::None || t->is_aggregation() || t->kind == Kind::Pointer)
      tc.error(call.args[i]->loc, "memcmp() compares values, got '" + t->display_name() + "'");
    smallest = std::min(smallest, t->size);
  }
  auto n = constant_integer_arg(tc, *call.args[2], "memcmp");
  if (n && (*n < 0 || static_cast<uint64_t>(*n) > smallest))
    tc.error(call.args[2]->loc, "memcmp(): the count must be between 0 and the size of the "
                                "smaller value (" +
                                    std::to_string(smallest) + ")");
  return Type::integer(8, true);
}

} // namespace

void register_string_functions(FunctionTable &table) {
  table["str"] = check_str;
  table["strncmp"] = check_strncmp;
  table["strcontains"] = check_strcontains;
  table["strstr"] = check_strstr;
  table["strlen"] = check_string_size;
  table["strcap"] = check_string_size;
  table["memcmp"] = check_memcmp;
}

} // namespace sonde::sema
