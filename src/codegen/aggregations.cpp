// Lowering of count, sum, avg, min, max, stats, hist, lhist and tseries:
// the value a map assignment adds to (`@m[k] = count()`), per types/type.h layouts.
#include "codegen/lowerings.h"

#include <cstdlib>

namespace sonde::codegen {

using types::Kind;
using types::Type;

namespace {

constexpr uint64_t BPF_ANY = 0;

} // namespace

void ProgramCodegen::update_aggregation(ast::MapRef &map, ast::Call &call) {
  lowerings().aggregations.at(call.name)(*this, map, call);
}

void ProgramCodegen::register_aggregation_lowerings(LoweringTable &table) {
  struct Update {
    const Type &agg;  // the map's value
    llvm::Value *arg; // the call's argument; null for count()
    llvm::Value *key; // the map key
    llvm::Value *map;
  };
  auto update = [](ProgramCodegen &cg, ast::MapRef &map, ast::Call &call) {
    const Type &agg = *cg.map_symbol(map).value;
    llvm::Value *arg = call.args.empty() ? nullptr : cg.to_i64(cg.gen(*call.args[0]));
    auto *key = cg.build_key(map);
    return Update{agg, arg, key, cg.map_global(map)};
  };

  // The common case is an existing entry: add in place, insert otherwise.
  auto add = [update](ProgramCodegen &cg, ast::MapRef &map, ast::Call &call) {
    auto u = update(cg, map, call);
    auto &b = cg.b_;
    auto *i64 = b.getInt64Ty();
    auto *delta = u.agg.kind == Kind::Count ? b.getInt64(1) : u.arg;
    auto *found = cg.h_.map_lookup(u.map, u.key);
    auto *hit = cg.new_block("count_hit");
    auto *miss = cg.new_block("count_miss");
    auto *done = cg.new_block("count_done");
    b.CreateCondBr(b.CreateIsNull(found), miss, hit);
    b.SetInsertPoint(hit);
    b.CreateStore(b.CreateAdd(b.CreateLoad(i64, found), delta), found);
    b.CreateBr(done);
    b.SetInsertPoint(miss);
    auto *initial = cg.slot(8);
    b.CreateStore(delta, initial);
    auto *inserted = cg.h_.map_update(u.map, u.key, initial, BPF_ANY);
    cg.count_map_full(map, b.CreateICmpSLT(inserted, b.getInt64(0)));
    b.CreateBr(done);
    b.SetInsertPoint(done);
  };
  table.aggregations["count"] = add;
  table.aggregations["sum"] = add;

  auto extreme = [update](ProgramCodegen &cg, ast::MapRef &map, ast::Call &call) {
    auto u = update(cg, map, call);
    auto &b = cg.b_;
    auto *i64 = b.getInt64Ty();
    auto *value = cg.lookup_or_init(map, u.key, u.agg.size);
    auto *current = b.CreateLoad(i64, value);
    auto *is_set = b.CreateLoad(i64, cg.byte_ptr(value, 8));
    auto *better =
        u.agg.kind == Kind::Min ? b.CreateICmpSLT(u.arg, current) : b.CreateICmpSGT(u.arg, current);
    auto *replace = b.CreateOr(b.CreateICmpEQ(is_set, b.getInt64(0)), better);
    cg.if_then(replace, [&] {
      b.CreateStore(u.arg, value);
      b.CreateStore(b.getInt64(1), cg.byte_ptr(value, 8));
    });
  };
  table.aggregations["min"] = extreme;
  table.aggregations["max"] = extreme;

  auto total_and_count = [update](ProgramCodegen &cg, ast::MapRef &map, ast::Call &call) {
    auto u = update(cg, map, call);
    auto &b = cg.b_;
    auto *i64 = b.getInt64Ty();
    auto *value = cg.lookup_or_init(map, u.key, u.agg.size);
    b.CreateStore(b.CreateAdd(b.CreateLoad(i64, value), u.arg), value);
    auto *count = cg.byte_ptr(value, 8);
    b.CreateStore(b.CreateAdd(b.CreateLoad(i64, count), b.getInt64(1)), count);
  };
  table.aggregations["avg"] = total_and_count;
  table.aggregations["stats"] = total_and_count;

  auto histogram = [update](ProgramCodegen &cg, ast::MapRef &map, ast::Call &call) {
    auto u = update(cg, map, call);
    auto &b = cg.b_;
    auto *i64 = b.getInt64Ty();
    auto *value = cg.lookup_or_init(map, u.key, u.agg.size);
    auto *index = u.agg.kind == Kind::Hist ? cg.hist_index(u.arg, u.agg.hist_bits)
                                           : cg.lhist_index(u.arg, u.agg);
    uint64_t buckets = u.agg.size / 8;
    index = cg.opaque(index);
    cg.if_then(b.CreateICmpULT(index, b.getInt64(buckets)), [&] {
      auto *bucket = b.CreateInBoundsGEP(i64, value, index);
      b.CreateStore(b.CreateAdd(b.CreateLoad(i64, bucket), b.getInt64(1)), bucket);
    });
  };
  table.aggregations["hist"] = histogram;
  table.aggregations["lhist"] = histogram;

  // The slot of the current interval: a slot still holding an older interval
  // starts over.
  table.aggregations["tseries"] = [update](ProgramCodegen &cg, ast::MapRef &map, ast::Call &call) {
    auto u = update(cg, map, call);
    auto &b = cg.b_;
    auto *i64 = b.getInt64Ty();
    auto *now = cg.tseries_now();
    auto *epoch = b.CreateUDiv(now, b.getInt64(u.agg.tseries_interval_ns));
    auto *index = cg.opaque(b.CreateURem(epoch, b.getInt64(u.agg.tseries_intervals)));
    auto *value = cg.lookup_or_init(map, u.key, u.agg.size);
    bool last = u.agg.tseries_agg == types::TSeriesAgg::Last;
    cg.if_then(b.CreateICmpULT(index, b.getInt64(u.agg.tseries_intervals)), [&] {
      auto *slot = b.CreateInBoundsGEP(b.getInt8Ty(), value,
                                       b.CreateMul(index, b.getInt64(Type::kTSeriesSlotSize)));
      auto *slot_value = cg.byte_ptr(slot, 8);
      auto *aux = cg.byte_ptr(slot, 16);
      auto *old_aux = b.CreateLoad(i64, aux);
      auto *fresh = b.CreateOr(b.CreateICmpNE(b.CreateLoad(i64, slot), epoch),
                               b.CreateICmpEQ(old_aux, b.getInt64(0)));
      auto *start = cg.new_block("tseries_start");
      auto *combine = cg.new_block("tseries_combine");
      auto *done = cg.new_block("tseries_done");
      b.CreateCondBr(fresh, start, combine);

      b.SetInsertPoint(start);
      b.CreateStore(epoch, slot);
      b.CreateStore(u.arg, slot_value);
      b.CreateStore(last ? now : b.getInt64(1), aux);
      b.CreateBr(done);

      b.SetInsertPoint(combine);
      auto *current = b.CreateLoad(i64, slot_value);
      llvm::Value *combined = u.arg;
      switch (u.agg.tseries_agg) {
      case types::TSeriesAgg::Last:
        break;
      case types::TSeriesAgg::Avg:
      case types::TSeriesAgg::Sum:
        combined = b.CreateAdd(current, u.arg);
        break;
      case types::TSeriesAgg::Min:
        combined = b.CreateSelect(b.CreateICmpSLT(u.arg, current), u.arg, current);
        break;
      case types::TSeriesAgg::Max:
        combined = b.CreateSelect(b.CreateICmpSGT(u.arg, current), u.arg, current);
        break;
      }
      b.CreateStore(combined, slot_value);
      b.CreateStore(last ? now : b.CreateAdd(old_aux, b.getInt64(1)), aux);
      b.CreateBr(done);

      b.SetInsertPoint(done);
    });
  };
}

// The bucket of types/histogram.h's hist_bucket_index, in IR.
llvm::Value *ProgramCodegen::hist_index(llvm::Value *v, uint32_t bits) {
  auto *i64 = b_.getInt64Ty();
  // floor(log2(v)) by binary search; v is positive where it is used.
  llvm::Value *x = v;
  llvm::Value *log2 = b_.getInt64(0);
  for (int shift : {32, 16, 8, 4, 2, 1}) {
    auto *big = b_.CreateICmpUGE(x, b_.getInt64(uint64_t{1} << shift));
    x = b_.CreateSelect(big, b_.CreateLShr(x, b_.getInt64(shift)), x);
    log2 = b_.CreateSelect(big, b_.CreateAdd(log2, b_.getInt64(shift)), log2);
  }
  auto *k = b_.getInt64(bits);
  auto *p_minus_k = b_.CreateSub(log2, k);
  auto *large = b_.CreateAdd(b_.CreateAdd(b_.CreateShl(p_minus_k, k), b_.CreateLShr(v, p_minus_k)),
                             b_.getInt64(1));
  auto *small = b_.CreateAdd(v, b_.getInt64(1));
  auto *is_small = b_.CreateICmpSLT(v, b_.getInt64(int64_t{2} << bits));
  auto *positive_index = b_.CreateSelect(is_small, small, large);
  auto *negative = b_.CreateICmpSLT(v, llvm::ConstantInt::get(i64, 0));
  return b_.CreateSelect(negative, b_.getInt64(0), positive_index);
}

llvm::Value *ProgramCodegen::lhist_index(llvm::Value *v, const Type &lhist) {
  auto *below = b_.CreateICmpSLT(v, b_.getInt64(lhist.lhist_min));
  auto *above = b_.CreateICmpSGE(v, b_.getInt64(lhist.lhist_max));
  auto *offset = b_.CreateSub(v, b_.getInt64(lhist.lhist_min));
  auto *inside = b_.CreateAdd(b_.CreateUDiv(offset, b_.getInt64(lhist.lhist_step)), b_.getInt64(1));
  auto *last = b_.getInt64(lhist.lhist_bucket_count() - 1);
  return b_.CreateSelect(below, b_.getInt64(0), b_.CreateSelect(above, last, inside));
}

// The wall clock in ns; under bpftrace's test harness
// (BPFTRACE_DUMMY_TS_MAP=@name, a scalar map of the script) that map's value,
// so that time series come out the same on every run.
llvm::Value *ProgramCodegen::tseries_now() {
  if (const char *dummy = std::getenv("BPFTRACE_DUMMY_TS_MAP")) {
    ast::MapRef clock;
    clock.name = dummy[0] == '@' ? dummy + 1 : dummy;
    auto found = script_.program.maps.find("@" + clock.name);
    if (found != script_.program.maps.end() && found->second.key->kind == Kind::None &&
        found->second.value->is_integer_like())
      return to_i64(read_map(clock, build_key(clock)));
  }
  return b_.CreateAdd(h_.call(Helper::KtimeGetNs, {}),
                      load_time_constant(script_.realtime_offset_ns));
}

} // namespace sonde::codegen
