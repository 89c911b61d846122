#include "codegen/program_codegen.h"

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

constexpr uint64_t BPF_ANY = 0;
constexpr uint64_t BPF_NOEXIST = 1;

std::string map_name(const ast::MapRef &map) { return "@" + map.name; }

} // namespace

const sema::MapSymbol &ProgramCodegen::map_symbol(const ast::MapRef &map) {
  return script_.program.maps.at(map_name(map));
}

llvm::Value *ProgramCodegen::map_global(const ast::MapRef &map) {
  return script_.maps.at(map_name(map));
}

llvm::Value *ProgramCodegen::build_key(ast::MapRef &map) {
  const auto &sym = map_symbol(map);
  if (sym.key->kind == Kind::None) {
    auto *key = slot(8);
    b_.CreateStore(b_.getInt64(0), key);
    return key;
  }
  if (map.keys.size() == 1) {
    auto v = gen(*map.keys[0]);
    auto *key = slot(sym.key->size);
    store_to(key, v, *sym.key);
    return key;
  }
  // Several keys are one tuple; padding is zeroed so equal keys hash alike.
  auto *key = slot(sym.key->size);
  zero(key, sym.key->size);
  for (size_t i = 0; i < map.keys.size(); i++) {
    const auto &field = sym.key->fields[i];
    store_to(byte_ptr(key, field.offset), gen(*map.keys[i]), *field.type);
  }
  return key;
}

CgValue ProgramCodegen::read_map(ast::MapRef &map, llvm::Value *key) {
  const auto &sym = map_symbol(map);
  auto *found = h_.map_lookup(map_global(map), key);
  auto *hit = new_block("map_hit");
  auto *miss = new_block("map_miss");
  auto *done = new_block("map_done");
  b_.CreateCondBr(b_.CreateIsNull(found), miss, hit);

  TypePtr value_type = sym.value;
  // Aggregations read as the integer they hold on this CPU.
  TypePtr read_type = map.type ? map.type : value_type;
  bool in_register = is_register_value(*read_type);
  auto *result = slot(in_register ? 8 : value_type->size);

  b_.SetInsertPoint(hit);
  if (in_register) {
    llvm::Value *v;
    if (value_type->kind == Kind::Avg) {
      auto *total = b_.CreateLoad(b_.getInt64Ty(), found);
      auto *count = b_.CreateLoad(b_.getInt64Ty(), byte_ptr(found, 8));
      v = binary_integer(ast::BinaryOp::Div, total, count, true);
    } else {
      auto loaded =
          load_from(found, value_type->kind == Kind::Min || value_type->kind == Kind::Max
                               ? Type::integer(8, true)
                               : (is_register_value(*value_type) ? value_type : read_type));
      v = to_i64(loaded);
    }
    b_.CreateStore(v, result);
  } else {
    copy(result, found, value_type->size);
  }
  b_.CreateBr(done);

  b_.SetInsertPoint(miss);
  if (in_register)
    b_.CreateStore(b_.getInt64(0), result);
  else
    zero(result, value_type->size);
  b_.CreateBr(done);

  b_.SetInsertPoint(done);
  if (in_register)
    return {b_.CreateLoad(b_.getInt64Ty(), result), read_type};
  return {result, value_type};
}

void ProgramCodegen::write_map(ast::MapRef &map, llvm::Value *key, const CgValue &value) {
  const auto &sym = map_symbol(map);
  auto *v = to_memory(value, *sym.value);
  auto *result = h_.map_update(map_global(map), key, v, BPF_ANY);
  count_map_full(map, b_.CreateICmpSLT(result, b_.getInt64(0)));
  check_helper("map_update_elem", result);
}

void ProgramCodegen::count_map_full(const ast::MapRef &map, llvm::Value *failed) {
  if_then(failed, [&] {
    auto *index = slot(4);
    b_.CreateStore(b_.getInt32(script_.map_indexes.at(map_name(map))), index);
    auto *counter = h_.map_lookup(script_.map_full, index);
    if_then(b_.CreateIsNotNull(counter), [&] {
      b_.CreateStore(b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), counter), b_.getInt64(1)),
                     counter);
    });
  });
}

llvm::Value *ProgramCodegen::lookup_or_init(ast::MapRef &map_ref, llvm::Value *key,
                                            uint64_t value_size) {
  auto *map = map_global(map_ref);
  auto *found = h_.map_lookup(map, key);
  auto *missing = new_block("agg_missing");
  auto *ready = new_block("agg_ready");
  auto *current = b_.GetInsertBlock();
  b_.CreateCondBr(b_.CreateIsNull(found), missing, ready);

  b_.SetInsertPoint(missing);
  auto *zeroes = slot(value_size);
  zero(zeroes, value_size);
  h_.map_update(map, key, zeroes, BPF_NOEXIST);
  auto *inserted = h_.map_lookup(map, key);
  auto *give_up = new_block("agg_give_up");
  auto *after_insert = b_.GetInsertBlock();
  b_.CreateCondBr(b_.CreateIsNull(inserted), give_up, ready);
  b_.SetInsertPoint(give_up);
  count_map_full(map_ref, b_.getTrue());
  return_zero();

  b_.SetInsertPoint(ready);
  auto *phi = b_.CreatePHI(found->getType(), 2);
  phi->addIncoming(found, current);
  phi->addIncoming(inserted, after_insert);
  return phi;
}

void ProgramCodegen::update_aggregation(ast::MapRef &map, ast::Call &call) {
  const auto &sym = map_symbol(map);
  const Type &agg = *sym.value;
  llvm::Value *arg = call.args.empty() ? nullptr : to_i64(gen(*call.args[0]));
  auto *key = build_key(map);
  auto *global = map_global(map);
  auto *i64 = b_.getInt64Ty();

  if (agg.kind == Kind::Count || agg.kind == Kind::Sum) {
    // The common case is an existing entry: add in place, insert otherwise.
    auto *delta = agg.kind == Kind::Count ? b_.getInt64(1) : arg;
    auto *found = h_.map_lookup(global, key);
    auto *hit = new_block("count_hit");
    auto *miss = new_block("count_miss");
    auto *done = new_block("count_done");
    b_.CreateCondBr(b_.CreateIsNull(found), miss, hit);
    b_.SetInsertPoint(hit);
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64, found), delta), found);
    b_.CreateBr(done);
    b_.SetInsertPoint(miss);
    auto *initial = slot(8);
    b_.CreateStore(delta, initial);
    auto *inserted = h_.map_update(global, key, initial, BPF_ANY);
    count_map_full(map, b_.CreateICmpSLT(inserted, b_.getInt64(0)));
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    return;
  }

  auto *value = lookup_or_init(map, key, agg.size);
  switch (agg.kind) {
  case Kind::Min:
  case Kind::Max: {
    auto *current = b_.CreateLoad(i64, value);
    auto *is_set = b_.CreateLoad(i64, byte_ptr(value, 8));
    auto *better =
        agg.kind == Kind::Min ? b_.CreateICmpSLT(arg, current) : b_.CreateICmpSGT(arg, current);
    auto *replace = b_.CreateOr(b_.CreateICmpEQ(is_set, b_.getInt64(0)), better);
    if_then(replace, [&] {
      b_.CreateStore(arg, value);
      b_.CreateStore(b_.getInt64(1), byte_ptr(value, 8));
    });
    return;
  }
  case Kind::Avg:
  case Kind::Stats: {
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64, value), arg), value);
    auto *count = byte_ptr(value, 8);
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64, count), b_.getInt64(1)), count);
    return;
  }
  case Kind::Hist:
  case Kind::LHist: {
    auto *index = agg.kind == Kind::Hist ? hist_index(arg, agg.hist_bits) : lhist_index(arg, agg);
    uint64_t buckets = agg.size / 8;
    index = opaque(index);
    if_then(b_.CreateICmpULT(index, b_.getInt64(buckets)), [&] {
      auto *bucket = b_.CreateInBoundsGEP(i64, value, index);
      b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64, bucket), b_.getInt64(1)), bucket);
    });
    return;
  }
  default:
    return;
  }
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

} // namespace sonde::codegen
