#include "sema/builtins.h"

namespace sonde::sema {

namespace {

const FunctionTable &table() {
  static const FunctionTable functions = [] {
    FunctionTable t;
    register_output_functions(t);
    register_map_functions(t);
    register_aggregation_functions(t);
    register_string_functions(t);
    register_symbol_functions(t);
    register_conversion_functions(t);
    register_variable_functions(t);
    register_introspection_functions(t);
    return t;
  }();
  return functions;
}

} // namespace

const FunctionRule *find_function(const std::string &name) {
  auto it = table().find(name);
  return it == table().end() ? nullptr : &it->second;
}

std::optional<std::string> unsupported_function(const std::string &name) {
  static const std::map<std::string, std::string> reasons = {
      {"skboutput", "sonde writes no pcap files (bpf_skb_output needs fentry probes)"},
  };
  auto it = reasons.find(name);
  if (it == reasons.end())
    return std::nullopt;
  return name + "() is not supported: " + it->second;
}

std::vector<std::string> function_names() {
  std::vector<std::string> names;
  for (const auto &[name, _] : table())
    names.push_back(name);
  return names;
}

bool expect_arg_count(TypeChecker &tc, ast::Call &call, size_t min, size_t max) {
  size_t n = call.args.size();
  if (n >= min && n <= max)
    return true;
  std::string expected = min == max        ? std::to_string(min)
                         : max == SIZE_MAX ? "at least " + std::to_string(min)
                                           : std::to_string(min) + " to " + std::to_string(max);
  tc.error(call.loc, call.name + "() takes " + expected + " argument" +
                         (max == 1 && min == 1 ? "" : "s") + ", got " + std::to_string(n));
  for (auto &a : call.args)
    tc.check(*a);
  return false;
}

bool expect_integer_arg(TypeChecker &tc, ast::Expr &arg, const std::string &function) {
  auto t = tc.check(arg);
  if (t->is_integer_like())
    return true;
  tc.error(arg.loc, function + "() expects an integer argument, got '" + t->display_name() + "'");
  return false;
}

std::optional<int64_t> constant_integer_arg(TypeChecker &tc, ast::Expr &arg,
                                            const std::string &function) {
  tc.check(arg);
  constexpr uint64_t kInt64Max = static_cast<uint64_t>(INT64_MAX);
  auto too_large = [&] {
    tc.error(arg.loc, function + "() expects an integer that fits in int64 here");
    return std::nullopt;
  };
  if (auto *lit = dynamic_cast<ast::IntegerLiteral *>(&arg))
    return lit->value > kInt64Max ? too_large() : std::optional(static_cast<int64_t>(lit->value));
  if (auto *neg = dynamic_cast<ast::Unary *>(&arg))
    if (auto *lit = dynamic_cast<ast::IntegerLiteral *>(neg->operand.get());
        lit && neg->op == ast::UnaryOp::Neg) {
      if (lit->value > kInt64Max + 1)
        return std::nullopt;                       // checking the negation reported it
      return static_cast<int64_t>(0 - lit->value); // -2^63 too, without overflow
    }
  if (auto value = tc.constant_value(arg))
    return value;
  tc.error(arg.loc, function + "() expects a constant integer here");
  return std::nullopt;
}

} // namespace sonde::sema
