// count, sum, avg, min, max, stats, hist, lhist, tseries: map values kept
// per CPU.
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

// Slots of every CPU's value must fit in the 32 KiB the kernel allows a
// per-CPU map value.
constexpr int64_t kMaxTSeriesIntervals = 32768 / Type::kTSeriesSlotSize;

std::optional<types::TSeriesAgg> tseries_agg(const std::string &name) {
  if (name == "avg")
    return types::TSeriesAgg::Avg;
  if (name == "max")
    return types::TSeriesAgg::Max;
  if (name == "min")
    return types::TSeriesAgg::Min;
  if (name == "sum")
    return types::TSeriesAgg::Sum;
  return std::nullopt;
}

// tseries(n, interval_ns, num_intervals [, "avg" | "max" | "min" | "sum"]).
TypePtr check_tseries(TypeChecker &tc, ast::Call &call, bool as_map_value) {
  uint64_t interval_ns = 1, intervals = 1;
  auto agg = types::TSeriesAgg::Last;
  if (expect_arg_count(tc, call, 3, 4)) {
    expect_integer_arg(tc, *call.args[0], "tseries");
    auto interval = constant_integer_arg(tc, *call.args[1], "tseries");
    auto count = constant_integer_arg(tc, *call.args[2], "tseries");
    if (interval && *interval <= 0)
      tc.error(call.args[1]->loc,
               "tseries() interval_ns must be >= 1 (" + std::to_string(*interval) + " provided)");
    else if (interval)
      interval_ns = static_cast<uint64_t>(*interval);
    if (count && *count <= 0)
      tc.error(call.args[2]->loc,
               "tseries() num_intervals must be >= 1 (" + std::to_string(*count) + " provided)");
    else if (count && *count > kMaxTSeriesIntervals)
      tc.error(call.args[2]->loc, "tseries() num_intervals must be at most " +
                                      std::to_string(kMaxTSeriesIntervals) + " (" +
                                      std::to_string(*count) + " provided)");
    else if (count)
      intervals = static_cast<uint64_t>(*count);
    if (call.args.size() == 4) {
      tc.check(*call.args[3]);
      auto *name = dynamic_cast<ast::StringLiteral *>(call.args[3].get());
      auto chosen = name ? tseries_agg(name->value) : std::nullopt;
      if (chosen)
        agg = *chosen;
      else
        tc.error(call.args[3]->loc,
                 "tseries() expects one of the following aggregation functions: avg, max, min, "
                 "sum (" +
                     (name ? "\"" + name->value + "\"" : std::string("not a string literal")) +
                     " provided)");
    }
  }
  directly_assigned(tc, call, as_map_value);
  return Type::tseries(interval_ns, intervals, agg);
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
  table["tseries"] = check_tseries;
}

} // namespace sonde::sema
