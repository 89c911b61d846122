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

CgValue ProgramCodegen::read_map(ast::MapRef &map, llvm::Value *key, bool report_missing) {
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
  if (report_missing)
    report_helper("map_lookup_elem", b_.getInt64(0));
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

namespace {

// The first updates of a program count each failure where it happens: a
// branch apiece costs the verifier little, and a program of few updates
// (most of them) is then as small as can be.
constexpr size_t kUpdatesCountedInPlace = 16;
// Maps whose failed updates a program tallies on its stack; updates of more
// maps count each failure where it happens.
constexpr size_t kMaxMapFullTallies = 8;
// Every so many tallied updates the tally is added to the counter when it is
// not zero. The branch ends LLVM's basic block, and a block of many helper
// calls takes its two-address pass time quadratic in the calls (8,000 map
// stores: 2.1 s of compiling, 1.1 s with a branch every 64).
constexpr size_t kTalliedUpdatesPerFlush = 64;

} // namespace

// Past its first updates, the probe's own function only adds a failed
// update to a per-map tally (no branch: one verifier path, however many
// stores), which the program adds to the map-full counter on its way out
// (flush_map_full). A map callback is a function of its own and counts
// where it fails.
void ProgramCodegen::count_map_full(const ast::MapRef &map, llvm::Value *failed) {
  uint32_t map_index = script_.map_indexes.at(map_name(map));
  auto tally_of = map_full_tallies_.find(map_index);
  if (fn_ != program_fn_ || program_updates_++ < kUpdatesCountedInPlace ||
      (tally_of == map_full_tallies_.end() && map_full_tallies_.size() == kMaxMapFullTallies)) {
    if_then(failed, [&] { add_to_map_full(map_index, b_.getInt64(1), slot(4)); });
    return;
  }
  auto &tally = map_full_tallies_[map_index];
  if (!tally) {
    tally = stack_slot(8);
    stack_used_ += 8;
    llvm::IRBuilder<> entry(entry_, std::next(llvm::cast<llvm::Instruction>(tally)->getIterator()));
    entry.CreateStore(b_.getInt64(0), tally);
  }
  // Volatile, so that the tally stays in memory: kept in a register, the
  // sum of every store's result is one chain of adds as long as the program,
  // and LLVM's two-address pass takes time quadratic in its length.
  auto *count = b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), tally, /*isVolatile=*/true),
                             b_.CreateZExt(failed, b_.getInt64Ty()));
  b_.CreateStore(count, tally, /*isVolatile=*/true);
  if (++tallied_updates_ % kTalliedUpdatesPerFlush == 0) {
    auto *failures = b_.CreateLoad(b_.getInt64Ty(), tally, /*isVolatile=*/true);
    if_then(b_.CreateICmpNE(failures, b_.getInt64(0)), [&] {
      add_to_map_full(map_index, failures, slot(4));
      b_.CreateStore(b_.getInt64(0), tally, /*isVolatile=*/true);
    });
  }
}

void ProgramCodegen::add_to_map_full(uint32_t map_index, llvm::Value *failures,
                                     llvm::Value *index) {
  b_.CreateStore(b_.getInt32(map_index), index);
  auto *counter = h_.map_lookup(script_.map_full, index);
  if_then(b_.CreateIsNotNull(counter), [&] {
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), counter), failures), counter);
  });
}

// Every return of the probe's function goes through one exit block that
// adds each map's tally of failed updates to the map-full counter.
void ProgramCodegen::flush_map_full() {
  if (map_full_tallies_.empty())
    return;
  std::vector<llvm::ReturnInst *> returns;
  for (auto &block : *program_fn_)
    if (auto *ret = llvm::dyn_cast<llvm::ReturnInst>(block.getTerminator()))
      returns.push_back(ret);
  auto *exit = new_block("flush_map_full");
  b_.SetInsertPoint(exit);
  set_location(*probe_.probe);
  auto *index = stack_slot(4);
  auto *result = b_.CreatePHI(b_.getInt64Ty(), static_cast<unsigned>(returns.size()));
  for (auto *ret : returns) {
    result->addIncoming(ret->getReturnValue(), ret->getParent());
    llvm::BranchInst::Create(exit, ret->getParent());
    ret->eraseFromParent();
  }
  for (const auto &[map_index, tally] : map_full_tallies_) {
    auto *failures = b_.CreateLoad(b_.getInt64Ty(), tally);
    if_then(b_.CreateICmpNE(failures, b_.getInt64(0)),
            [&] { add_to_map_full(map_index, failures, index); });
  }
  b_.CreateRet(result);
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
  h_.map_update(map, key, zero_bytes(value_size), BPF_NOEXIST);
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

} // namespace sonde::codegen
