// `for ($kv : @m)` and len(@m), through bpf_for_each_map_elem callbacks.
#include "codegen/program_codegen.h"

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {
constexpr int kForEachMapElem = 164;
} // namespace

void ProgramCodegen::for_each_entry(
    const ast::MapRef &map, std::vector<llvm::Value *> extra,
    const std::function<void(llvm::Value *, llvm::Value *, const std::vector<llvm::Value *> &)>
        &body) {
  auto *ptr = llvm::PointerType::get(b_.getContext(), 0);
  // What the callback can reach, as pointers in a block on this frame's stack:
  // the probe's ctx, the scratch buffer, every visible variable, `extra`.
  std::vector<std::pair<std::string, std::pair<llvm::Value *, TypePtr>>> visible;
  for (const auto &scope : scopes_)
    for (const auto &entry : scope)
      visible.emplace_back(entry.first, entry.second);
  size_t fields = 2 + visible.size() + extra.size();
  llvm::AllocaInst *block;
  {
    llvm::IRBuilder<> entry(entry_, entry_->begin());
    block = entry.CreateAlloca(llvm::ArrayType::get(ptr, fields));
    block->setAlignment(llvm::Align(8));
  }
  std::vector<llvm::Value *> stored{ctx_, scratch_base_};
  for (const auto &v : visible)
    stored.push_back(v.second.first);
  stored.insert(stored.end(), extra.begin(), extra.end());
  for (size_t i = 0; i < fields; i++)
    b_.CreateStore(stored[i], b_.CreateConstInBoundsGEP1_64(ptr, block, i));
  // The callback reaches scratch through this block: keep the lookup.
  scratch_used_ = std::max<uint64_t>(scratch_used_, 8);

  auto *callback = script_.module.add_map_callback(
      fn_->getName().str() + "_each" + std::to_string(callback_count_++), map.loc.begin_line);

  // Switch to the callback's frame.
  auto saved_fn = fn_;
  auto saved_entry = entry_;
  auto saved_ctx = ctx_;
  auto saved_scratch = scratch_base_;
  auto saved_slots_block = slots_block_;
  auto saved_scopes = std::move(scopes_);
  auto saved_loops = std::move(loops_);
  auto saved_stack = stack_used_;
  auto saved_free = std::move(free_slots_);
  auto saved_statement_slots = std::move(statement_slots_);
  free_slots_.clear();
  statement_slots_.clear();
  bool saved_in_callback = in_callback_;
  auto *saved_returned = probe_returned_;
  probe_returned_ = nullptr;
  auto *saved_block = b_.GetInsertBlock();
  auto saved_location = b_.getCurrentDebugLocation();

  fn_ = callback;
  entry_ = llvm::BasicBlock::Create(b_.getContext(), "entry", callback);
  b_.SetInsertPoint(entry_);
  set_location(map);
  auto *block_arg = callback->getArg(3);
  auto load_field = [&](size_t i) {
    return b_.CreateLoad(ptr, b_.CreateConstInBoundsGEP1_64(ptr, block_arg, i));
  };
  ctx_ = load_field(0);
  scratch_base_ = load_field(1);
  scopes_.assign(1, {});
  for (size_t i = 0; i < visible.size(); i++)
    scopes_.back()[visible[i].first] = {load_field(2 + i), visible[i].second.second};
  std::vector<llvm::Value *> extra_here;
  for (size_t i = 0; i < extra.size(); i++)
    extra_here.push_back(load_field(2 + visible.size() + i));
  loops_.assign(1, Loop{nullptr, nullptr});
  stack_used_ = 0;
  in_callback_ = true;
  auto *start = llvm::BasicBlock::Create(b_.getContext(), "body", callback);
  slots_block_ = start;
  b_.SetInsertPoint(start);
  body(callback->getArg(1), callback->getArg(2), extra_here);
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateRet(b_.getInt64(0));
  b_.SetInsertPoint(entry_);
  b_.CreateBr(start);

  fn_ = saved_fn;
  entry_ = saved_entry;
  ctx_ = saved_ctx;
  scratch_base_ = saved_scratch;
  slots_block_ = saved_slots_block;
  scopes_ = std::move(saved_scopes);
  loops_ = std::move(saved_loops);
  stack_used_ = saved_stack;
  free_slots_ = std::move(saved_free);
  statement_slots_ = std::move(saved_statement_slots);
  in_callback_ = saved_in_callback;
  probe_returned_ = saved_returned;
  b_.SetInsertPoint(saved_block);
  b_.SetCurrentDebugLocation(saved_location);

  auto *helper_type =
      llvm::FunctionType::get(b_.getInt64Ty(), {ptr, ptr, ptr, b_.getInt64Ty()}, false);
  auto *helper = llvm::ConstantExpr::getIntToPtr(b_.getInt64(kForEachMapElem), ptr);
  b_.CreateCall(helper_type, helper, {map_global(map), callback, block, b_.getInt64(0)});
}

CgValue ProgramCodegen::map_entry_value(llvm::Value *value, const TypePtr &map_value,
                                        const TypePtr &read_type) {
  if (map_value->kind == Kind::Avg) {
    auto *total = b_.CreateLoad(b_.getInt64Ty(), value);
    auto *count = b_.CreateLoad(b_.getInt64Ty(), byte_ptr(value, 8));
    return {binary_integer(ast::BinaryOp::Div, total, count, true), read_type};
  }
  if (map_value->kind == Kind::Min || map_value->kind == Kind::Max)
    return load_from(value, Type::integer(8, true));
  return load_from(value, is_register_value(*map_value) ? map_value : read_type);
}

void ProgramCodegen::visit(ast::ForMap &node) {
  const auto &sym = map_symbol(*node.map);
  auto read_type = node.map->type ? node.map->type : sym.value;
  auto *returned = scratch_slot(8);
  b_.CreateStore(b_.getInt64(0), returned);
  for_each_entry(
      *node.map, {returned},
      [&](llvm::Value *key, llvm::Value *value, const std::vector<llvm::Value *> &extra) {
        probe_returned_ = extra[0];
        // $kv is (key, value), copied out of the map.
        auto tuple = Type::tuple({sym.key, map_entry_value(value, sym.value, read_type).type});
        scopes_.emplace_back();
        auto *kv = define_variable(node.var, tuple, node);
        zero(kv, tuple->size);
        store_to(byte_ptr(kv, tuple->fields[0].offset), load_from(key, sym.key),
                 *tuple->fields[0].type);
        store_to(byte_ptr(kv, tuple->fields[1].offset),
                 map_entry_value(value, sym.value, read_type), *tuple->fields[1].type);
        node.body.accept(*this);
        scopes_.pop_back();
      });
  if_then(b_.CreateICmpNE(b_.CreateLoad(b_.getInt64Ty(), returned), b_.getInt64(0)),
          [&] { return_zero(); });
}

CgValue ProgramCodegen::map_length(const ast::MapRef &map) {
  // The verifier runs the callback until its states repeat. A counter it
  // tracks (on the stack) is exact, and once a branch depends on the result
  // it must stay exact: 0, 1, 2, ... never repeat. In scratch it is unknown.
  auto *counter = scratch_slot(8);
  b_.CreateStore(b_.getInt64(0), counter);
  for_each_entry(
      map, {counter}, [&](llvm::Value *, llvm::Value *, const std::vector<llvm::Value *> &extra) {
        auto *c = extra[0];
        b_.CreateStore(b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), c), b_.getInt64(1)), c);
      });
  return {b_.CreateLoad(b_.getInt64Ty(), counter), Type::integer(8, true)};
}

} // namespace sonde::codegen
