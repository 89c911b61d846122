// count, sum, avg, min, max, stats, hist, lhist: map values kept per CPU.
#include "sema/builtins.h"

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

bool directly_assigned(TypeChecker &tc, ast::Call &call, bool as_map_value) {
  if (!as_map_value)
    tc.error(call.loc, call.name + "() must be assigned directly to a map, as in @x = " +
                           call.name + "(...)");
  return as_map_value;
}

TypePtr check_count(TypeChecker &tc, ast::Call &call, bool as_map_value) {
  expect_arg_count(tc, call, 0, 0);
  directly_assigned(tc, call, as_map_value);
  return Type::simple(Kind::Count);
}

// sum, avg, min, max, stats: one integer argument.
FunctionRule one_value(Kind kind) {
  return [kind](TypeChecker &tc, ast::Call &call, bool as_map_value) {
    if (expect_arg_count(tc, call, 1, 1))
      expect_integer_arg(tc, *call.args[0], call.name);
    directly_assigned(tc, call, as_map_value);
    return Type::simple(kind);
  };
}

TypePtr check_hist(TypeChecker &tc, ast::Call &call, bool as_map_value) {
  uint32_t bits = 0;
  if (expect_arg_count(tc, call, 1, 2)) {
    expect_integer_arg(tc, *call.args[0], "hist");
    if (call.args.size() == 2) {
      auto k = constant_integer_arg(tc, *call.args[1], "hist");
      if (k && (*k < 0 || *k > 5))
        tc.error(call.args[1]->loc, "hist(): the bits argument must be between 0 and 5");
      else if (k)
        bits = static_cast<uint32_t>(*k);
    }
  }
  directly_assigned(tc, call, as_map_value);
  return Type::hist(bits);
}

TypePtr check_lhist(TypeChecker &tc, ast::Call &call, bool as_map_value) {
  int64_t min = 0, max = 1, step = 1;
  if (expect_arg_count(tc, call, 4, 4)) {
    expect_integer_arg(tc, *call.args[0], "lhist");
    auto lo = constant_integer_arg(tc, *call.args[1], "lhist");
    auto hi = constant_integer_arg(tc, *call.args[2], "lhist");
    auto st = constant_integer_arg(tc, *call.args[3], "lhist");
    if (lo && hi && st) {
      if (*lo < 0)
        tc.error(call.args[1]->loc, "lhist(): min must be non-negative");
      else if (*hi <= *lo)
        tc.error(call.args[2]->loc, "lhist(): max must be greater than min");
      else if (*st <= 0)
        tc.error(call.args[3]->loc, "lhist(): step must be positive");
      else if ((*hi - *lo) / *st > 1000)
        tc.error(call.loc, "lhist(): too many buckets (max 1000): (max - min) / step is " +
                               std::to_string((*hi - *lo) / *st));
      else {
        min = *lo;
        max = *hi;
        step = *st;
      }
    }
  }
  directly_assigned(tc, call, as_map_value);
  return Type::lhist(min, max, step);
}

} // namespace

void register_aggregation_functions(FunctionTable &table) {
  table["count"] = check_count;
  table["sum"] = one_value(Kind::Sum);
  table["avg"] = one_value(Kind::Avg);
  table["min"] = one_value(Kind::Min);
  table["max"] = one_value(Kind::Max);
  table["stats"] = one_value(Kind::Stats);
  table["hist"] = check_hist;
  table["lhist"] = check_lhist;
}

} // namespace sonde::sema
