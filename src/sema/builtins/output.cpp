// printf, print, time, exit, cat, system, errorf, warnf, assert, fail,
// unwatch: functions that emit events.
#include "sema/builtins.h"

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

TypePtr check_format_call(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 64))
    return Type::none();
  auto *format = dynamic_cast<ast::StringLiteral *>(call.args[0].get());
  if (!format) {
    tc.check(*call.args[0]);
    tc.error(call.args[0]->loc, call.name + "() expects a string literal as its format");
    return Type::none();
  }
  tc.check(*format);
  std::vector<TypePtr> args;
  for (size_t i = 1; i < call.args.size(); i++) {
    auto t = tc.check(*call.args[i]);
    if (t->kind == Kind::None || t->is_aggregation())
      tc.error(call.args[i]->loc,
               call.name + "() cannot print a value of type '" + t->display_name() + "'");
    args.push_back(t);
  }
  check_printf_format(tc, *format, args, call);
  return Type::none();
}

TypePtr check_print(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 3))
    return Type::none();
  auto *map = dynamic_cast<ast::MapRef *>(call.args[0].get());
  if (map && map->keys.empty()) {
    auto *sym = tc.find_map("@" + map->name);
    if (!sym || !sym->value)
      tc.undefined_map(*map);
    // A tseries map takes the graph's min and max instead of top and div.
    bool tseries = sym && sym->value && sym->value->kind == Kind::TSeries;
    for (size_t i = 1; i < call.args.size(); i++)
      if (auto value = constant_integer_arg(tc, *call.args[i], "print");
          value && *value < 0 && !tseries)
        tc.error(call.args[i]->loc,
                 std::string("print()'s ") + (i == 1 ? "top" : "div") + " cannot be negative");
    return Type::none();
  }
  if (call.args.size() > 1)
    tc.error(call.loc, "print() takes a top and div argument only when printing a whole map");
  auto t = tc.check(*call.args[0]);
  if (t->kind == Kind::None)
    tc.error(call.args[0]->loc, "print() needs a value");
  return Type::none();
}

TypePtr check_time(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 0, 1))
    return Type::none();
  if (!call.args.empty() && !dynamic_cast<ast::StringLiteral *>(call.args[0].get()))
    tc.error(call.args[0]->loc, "time() expects a string literal format");
  return Type::none();
}

TypePtr check_exit(TypeChecker &tc, ast::Call &call, bool) {
  // As in bpftrace 0.26: a loop body is a callback, which exit() cannot end
  // the probe from.
  if (tc.in_for_loop())
    tc.error(call.loc, "exit() is not allowed in a for-loop");
  if (expect_arg_count(tc, call, 0, 1) && !call.args.empty())
    expect_integer_arg(tc, *call.args[0], "exit");
  return Type::none();
}

TypePtr check_unsafe_format_call(TypeChecker &tc, ast::Call &call, bool as_map_value) {
  if (!tc.options().unsafe)
    tc.error(call.loc, call.name + "() is an unsafe function: run with --unsafe to allow it");
  return check_format_call(tc, call, as_map_value);
}

// assert(condition, "message"): an error and exit(1) when the condition fails.
TypePtr check_assert(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 2, 2))
    return Type::none();
  auto t = tc.check(*call.args[0]);
  if (!t->is_integer_like() && t->kind != Kind::Pointer)
    tc.error(call.args[0]->loc, "assert() expects a condition, got '" + t->display_name() + "'");
  tc.check(*call.args[1]);
  if (!dynamic_cast<ast::StringLiteral *>(call.args[1].get()))
    tc.error(call.args[1]->loc, "assert() expects a string literal message");
  return Type::none();
}

// fail(format, literals...): an error and exit(1) where the call is reached.
TypePtr check_fail(TypeChecker &tc, ast::Call &call, bool as_map_value) {
  check_format_call(tc, call, as_map_value);
  for (size_t i = 1; i < call.args.size(); i++) {
    auto *arg = call.args[i].get();
    if (!dynamic_cast<ast::IntegerLiteral *>(arg) && !dynamic_cast<ast::StringLiteral *>(arg) &&
        !dynamic_cast<ast::BoolLiteral *>(arg) && !dynamic_cast<ast::PositionalParam *>(arg))
      tc.error(arg->loc, "fail() expects literal arguments");
  }
  return Type::none();
}

// unwatch(address): the watchpoints on that address are detached.
TypePtr check_unwatch(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 1))
    return Type::none();
  auto t = tc.check(*call.args[0]);
  if (!t->is_integer_like() && t->kind != Kind::Pointer)
    tc.error(call.args[0]->loc, "unwatch() expects an address, got '" + t->display_name() + "'");
  return Type::none();
}

} // namespace

void register_output_functions(FunctionTable &table) {
  table["printf"] = check_format_call;
  table["warnf"] = check_format_call;
  table["errorf"] = check_format_call;
  table["cat"] = check_format_call;
  table["system"] = check_unsafe_format_call;
  table["print"] = check_print;
  table["time"] = check_time;
  table["assert"] = check_assert;
  table["fail"] = check_fail;
  table["exit"] = check_exit;
  table["unwatch"] = check_unwatch;
}

} // namespace sonde::sema
