// Statements lowered in a callback of their own (bpf_for_each_map_elem,
// bpf_loop), which reach the probe's variables through a block of pointers.
#include "codegen/program_codegen.h"

namespace sonde::codegen {

using types::TypePtr;

llvm::Value *ProgramCodegen::lower_in_callback(
    llvm::Function *callback, unsigned block_arg, const ast::Node &at,
    std::vector<llvm::Value *> extra,
    const std::function<void(const std::vector<llvm::Value *> &)> &body) {
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
  set_location(at);
  auto *block_pointer = callback->getArg(block_arg);
  auto load_field = [&](size_t i) {
    return b_.CreateLoad(ptr, b_.CreateConstInBoundsGEP1_64(ptr, block_pointer, i));
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
  body(extra_here);
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

  return block;
}

} // namespace sonde::codegen
