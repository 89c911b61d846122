#include "codegen/program_codegen.h"
#include "codegen/shared_variables.h"

#include <algorithm>

#include <llvm/IR/Intrinsics.h>

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

// Values no larger than config `on_stack_limit` live on the 512-byte BPF
// stack while this much of it is free; larger ones in scratch.
constexpr uint64_t kStackBudget = 192;
// Register-sized slots may use more of it: they mostly become registers.
constexpr uint64_t kRegisterStackBudget = 256;
// Each CPU's scratch value (an array map's, which the kernel allows larger
// than a per-CPU map's 32 KiB) is at most this large.
constexpr uint64_t kMaxScratch = 1024 * 1024;
// memset/memcpy larger than this are loops (see word_loop).
constexpr uint64_t kMaxInlineBytes = 512;

uint64_t round8(uint64_t v) { return (v + 7) & ~uint64_t{7}; }

} // namespace

bool is_register_value(const Type &type) {
  switch (type.kind) {
  case Kind::Integer:
  case Kind::Bool:
  case Kind::Pointer:
  case Kind::Ksym:
  case Kind::Username:
  case Kind::ProbeName:
  case Kind::KStack:
  case Kind::Timestamp:
  case Kind::Errno:
  case Kind::SyscallName:
  case Kind::CgroupPath:
  case Kind::Count:
  case Kind::Sum:
    return true;
  default:
    return false;
  }
}

ProgramCodegen::ProgramCodegen(ScriptState &script, const sema::ProbeInfo &probe,
                               const sema::ProbeInstance &instance,
                               std::vector<size_t> probe_indices, bool as_raw_tracepoint)
    : script_(script), probe_(probe), instance_(instance), probe_indices_(std::move(probe_indices)),
      as_raw_tracepoint_(as_raw_tracepoint), b_(script.module.context()), h_(b_) {}

std::string ProgramCodegen::generate(const std::string &name, const std::string &section) {
  auto &probe = *probe_.probe;
  fn_ = script_.module.add_program(name, section, probe.loc.begin_line);
  program_fn_ = fn_;
  ctx_ = fn_->getArg(0);
  entry_ = llvm::BasicBlock::Create(b_.getContext(), "entry", fn_);
  auto *body = llvm::BasicBlock::Create(b_.getContext(), "body", fn_);
  auto *no_scratch = llvm::BasicBlock::Create(b_.getContext(), "no_scratch", fn_);

  // The scratch buffer, this CPU's value of the scratch array, is looked up
  // once per run; removed again when unused.
  b_.SetInsertPoint(entry_);
  set_location(probe);
  auto *cpu_key = b_.CreateAlloca(b_.getInt32Ty());
  auto *cpu = h_.call(Helper::GetSmpProcessorId, {});
  auto *cpu_32 = b_.CreateTrunc(cpu, b_.getInt32Ty());
  auto *store_cpu = b_.CreateStore(cpu_32, cpu_key);
  auto *base = h_.map_lookup(script_.scratch, cpu_key);
  auto *scratch_lookup = llvm::cast<llvm::Instruction>(base);
  scratch_base_ = base;
  auto *is_null = b_.CreateIsNull(base);
  b_.CreateCondBr(is_null, no_scratch, body);
  b_.SetInsertPoint(no_scratch);
  b_.CreateRet(b_.getInt64(0));

  b_.SetInsertPoint(body);
  slots_block_ = body;
  scopes_.assign(1, {});
  auto callback_variables = variables_shared_with_callbacks(probe.body);
  shared_variables_ = std::move(callback_variables.shared);
  emit_exit_check();
  if (!syscall_dispatch_.empty())
    emit_syscall_dispatch();
  emit_pid_filter();
  if (probe.predicate) {
    auto *pass = gen_condition(*probe.predicate);
    auto *run = new_block("predicate_true");
    auto *skip = new_block("predicate_false");
    b_.CreateCondBr(pass, run, skip);
    b_.SetInsertPoint(skip);
    return_zero();
    b_.SetInsertPoint(run);
  }
  // The probe's variables a map loop's callback sets first: the callback's
  // frame ends with it, so they are the probe's from the start.
  for (const auto *var : callback_variables.defined_for_callbacks)
    zero(define_variable(var->name, var->type, *var, /*whole_probe=*/true), var->type->size);
  probe.body.accept(*this);
  if (!b_.GetInsertBlock()->getTerminator())
    return_zero();

  if (scratch_used_ == 0) {
    // Nothing needed scratch memory: branch straight to the body.
    auto *term = entry_->getTerminator();
    term->eraseFromParent();
    llvm::cast<llvm::Instruction>(is_null)->eraseFromParent();
    scratch_lookup->eraseFromParent();
    store_cpu->eraseFromParent();
    llvm::cast<llvm::Instruction>(cpu_32)->eraseFromParent();
    llvm::cast<llvm::Instruction>(cpu)->eraseFromParent();
    llvm::cast<llvm::Instruction>(cpu_key)->eraseFromParent();
    no_scratch->eraseFromParent();
    b_.SetInsertPoint(entry_);
    b_.CreateBr(body);
  }
  flush_map_full();
  script_.scratch_size = std::max(script_.scratch_size, scratch_used_);
  return name;
}

void ProgramCodegen::check_helper(const std::string &helper, llvm::Value *result) {
  if (!script_.options.helper_errors)
    return;
  if_then(b_.CreateICmpSLT(result, b_.getInt64(0)), [&] { report_helper(helper, result); });
}

void ProgramCodegen::report_helper(const std::string &helper, llvm::Value *result) {
  EventInfo info;
  info.kind = EventKind::HelperError;
  info.format = helper;
  locate(info, expression_, /*with_line=*/true);
  info.args = layout_args({Type::integer(8, true)}, info.size);
  emit_event(add_event(std::move(info)), {CgValue{result, Type::integer(8, true)}});
}

void ProgramCodegen::locate(EventInfo &info, const ast::Location &loc, bool with_line) const {
  const Source &file = script_.files.source(loc.source);
  info.filename = file.name;
  info.line = static_cast<uint64_t>(loc.begin_line);
  info.column = static_cast<uint64_t>(loc.begin_col);
  if (loc.end_line == loc.begin_line)
    info.end_column = static_cast<uint64_t>(loc.end_col);
  if (with_line)
    info.source_line = source_line(file.text, loc.begin_line);
}

std::vector<SourcePlace> ProgramCodegen::expansions() const {
  std::vector<SourcePlace> places;
  for (auto it = macro_calls_.rbegin(); it != macro_calls_.rend(); ++it) {
    EventInfo at;
    locate(at, *it, /*with_line=*/true);
    places.push_back({at.line, at.column, at.end_column, at.source_line});
  }
  return places;
}

void ProgramCodegen::set_location(const ast::Node &node) {
  location_ = node.loc;
  expression_ = node.loc;
  const Source *imported = node.loc.source ? &script_.files.source(node.loc.source) : nullptr;
  b_.SetCurrentDebugLocation(
      script_.module.location(fn_, node.loc.begin_line, node.loc.begin_col, imported));
}

CgValue ProgramCodegen::gen(ast::Expr &expr) {
  ast::Location outer = expression_;
  expression_ = expr.loc;
  expr.accept(*this);
  expression_ = outer;
  return result_;
}

llvm::Value *ProgramCodegen::gen_condition(ast::Expr &expr) {
  auto v = gen(expr);
  return b_.CreateICmpNE(to_i64(v), b_.getInt64(0));
}

// ---------------------------------------------------------------- memory

llvm::Value *ProgramCodegen::stack_slot(uint64_t size) {
  llvm::IRBuilder<> entry(entry_, entry_->begin());
  auto *a = entry.CreateAlloca(llvm::ArrayType::get(b_.getInt8Ty(), round8(size)));
  a->setAlignment(llvm::Align(8));
  return a;
}

// Small values go on the stack (LLVM keeps most register-sized ones in
// registers); larger ones, and everything once the stack is busy, in scratch.
llvm::Value *ProgramCodegen::slot(uint64_t size) {
  size = round8(std::max<uint64_t>(size, 1));
  auto remember = [&](llvm::Value *address) {
    if (!statement_slots_.empty())
      statement_slots_.back().push_back({size, address});
    return address;
  };
  if (auto &free = free_slots_[size]; !free.empty()) {
    auto *address = free.back();
    free.pop_back();
    return remember(address);
  }
  uint64_t budget = size <= 8 ? kRegisterStackBudget : kStackBudget;
  if (size <= script_.program.config.on_stack_limit && stack_used_ + size <= budget) {
    stack_used_ += size;
    return remember(stack_slot(size));
  }
  return scratch_slot(size);
}

llvm::Value *ProgramCodegen::scratch_slot(uint64_t size) {
  size = round8(std::max<uint64_t>(size, 1));
  uint64_t offset = scratch_used_;
  scratch_used_ += size;
  if (scratch_used_ > kMaxScratch)
    throw std::runtime_error("the probe at line " + std::to_string(probe_.probe->loc.begin_line) +
                             " needs more than " + std::to_string(kMaxScratch) +
                             " bytes of scratch memory; lower max_strlen");
  // At the top of the body, after the scratch lookup's null check, so the
  // address dominates every use wherever the slot was asked for.
  llvm::IRBuilder<> top(slots_block_, slots_block_->begin());
  auto *address = offset ? top.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), scratch_base_, offset)
                         : scratch_base_;
  if (!statement_slots_.empty())
    statement_slots_.back().push_back({size, address});
  return address;
}

void ProgramCodegen::lower_statement(ast::Stmt &stmt) {
  statement_slots_.emplace_back();
  stmt.accept(*this);
  for (const auto &s : statement_slots_.back())
    free_slots_[s.size].push_back(s.address);
  statement_slots_.pop_back();
}

llvm::Value *ProgramCodegen::byte_ptr(llvm::Value *base, uint64_t offset) {
  if (offset == 0)
    return base;
  return b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), base, offset);
}

void ProgramCodegen::zero(llvm::Value *dst, uint64_t size) {
  uint64_t words = size > kMaxInlineBytes ? size / 8 * 8 : 0;
  if (words)
    word_loop(words, [&](llvm::Value *offset) {
      b_.CreateStore(b_.getInt64(0), b_.CreateInBoundsGEP(b_.getInt8Ty(), dst, offset),
                     /*isVolatile=*/true);
    });
  if (size > words)
    b_.CreateMemSet(byte_ptr(dst, words), b_.getInt8(0), size - words, llvm::MaybeAlign(1));
}

llvm::Value *ProgramCodegen::zero_bytes(uint64_t size) {
  if (size <= kMaxInlineBytes) {
    auto *bytes = slot(size);
    zero(bytes, size);
    return bytes;
  }
  if (!script_.zeroes)
    script_.zeroes =
        new llvm::GlobalVariable(script_.module.module(), b_.getInt8Ty(), false,
                                 llvm::GlobalValue::ExternalLinkage, nullptr, "zeroes_placeholder");
  script_.zeroes_size = std::max(script_.zeroes_size, size);
  auto *key = slot(4);
  b_.CreateStore(b_.getInt32(0), key);
  auto *bytes = h_.map_lookup(script_.zeroes, key);
  // Never null (an array's one element), but the verifier wants the check.
  if_then(b_.CreateIsNull(bytes), [&] { return_zero(); });
  return bytes;
}

void ProgramCodegen::copy(llvm::Value *dst, llvm::Value *src, uint64_t size) {
  uint64_t words = size > kMaxInlineBytes ? size / 8 * 8 : 0;
  if (words)
    word_loop(words, [&](llvm::Value *offset) {
      auto *word =
          b_.CreateLoad(b_.getInt64Ty(), b_.CreateInBoundsGEP(b_.getInt8Ty(), src, offset));
      b_.CreateStore(word, b_.CreateInBoundsGEP(b_.getInt8Ty(), dst, offset),
                     /*isVolatile=*/true);
    });
  if (size > words)
    b_.CreateMemCpy(byte_ptr(dst, words), llvm::MaybeAlign(1), byte_ptr(src, words),
                    llvm::MaybeAlign(1), size - words);
}

// LLVM's BPF backend expands memset/memcpy inline only up to a limit; larger
// ones become a loop over 8-byte words (volatile stores, or LLVM would turn
// the loop back into a memset/memcpy call).
void ProgramCodegen::word_loop(uint64_t size,
                               const std::function<void(llvm::Value *offset)> &body) {
  auto *counter = stack_slot(8);
  b_.CreateStore(b_.getInt64(0), counter);
  auto *cond = new_block("words_cond");
  auto *loop = new_block("words_body");
  auto *done = new_block("words_done");
  b_.CreateBr(cond);
  b_.SetInsertPoint(cond);
  auto *offset = b_.CreateLoad(b_.getInt64Ty(), counter);
  b_.CreateCondBr(b_.CreateICmpULT(offset, b_.getInt64(size)), loop, done);
  b_.SetInsertPoint(loop);
  body(offset);
  b_.CreateStore(b_.CreateAdd(offset, b_.getInt64(8)), counter);
  b_.CreateBr(cond);
  b_.SetInsertPoint(done);
}

void ProgramCodegen::store_to(llvm::Value *dst, const CgValue &v, const Type &dst_type) {
  if (is_register_value(dst_type) || dst_type.kind == Kind::Bool) {
    auto *int_type = b_.getIntNTy(static_cast<unsigned>(dst_type.size * 8));
    b_.CreateStore(b_.CreateTrunc(to_i64(v), int_type), dst);
    return;
  }
  if ((dst_type.kind == Kind::Tuple || dst_type.kind == Kind::Record) &&
      v.type->fields.size() == dst_type.fields.size() && *v.type != dst_type) {
    for (size_t i = 0; i < dst_type.fields.size(); i++) {
      const auto &to = dst_type.fields[i];
      // Record fields match by name (sema unified them so), tuple fields by place.
      const auto &from = dst_type.kind == Kind::Record
                             ? *std::find_if(v.type->fields.begin(), v.type->fields.end(),
                                             [&](const auto &f) { return f.name == to.name; })
                             : v.type->fields[i];
      store_to(byte_ptr(dst, to.offset), load_from(byte_ptr(v.value, from.offset), from.type),
               *to.type);
      uint64_t end = i + 1 < dst_type.fields.size() ? dst_type.fields[i + 1].offset : dst_type.size;
      zero(byte_ptr(dst, to.offset + to.type->size), end - to.offset - to.type->size);
    }
    return;
  }
  if (is_register_value(*v.type)) {
    // An integer stored where bytes are expected (casts to arrays).
    auto *int_type = b_.getIntNTy(static_cast<unsigned>(std::min<uint64_t>(dst_type.size, 8) * 8));
    b_.CreateStore(b_.CreateTrunc(to_i64(v), int_type), dst);
    return;
  }
  uint64_t n = std::min(v.type->size, dst_type.size);
  if (v.value == ctx_ && instance_.args && v.type == instance_.args) {
    // The tracepoint record as a whole: ctx allows only aligned field loads.
    h_.call(Helper::ProbeReadKernel,
            {dst, b_.getInt64(n), b_.CreatePtrToInt(ctx_, b_.getInt64Ty())});
    zero(byte_ptr(dst, n), dst_type.size - n);
    return;
  }
  copy(dst, v.value, n);
  zero(byte_ptr(dst, n), dst_type.size - n);
}

CgValue ProgramCodegen::load_from(llvm::Value *src, const TypePtr &type) {
  if (is_register_value(*type) || type->kind == Kind::Bool) {
    auto *int_type = b_.getIntNTy(static_cast<unsigned>(type->size * 8));
    llvm::Value *v = b_.CreateLoad(int_type, src);
    v = type->is_signed ? b_.CreateSExt(v, b_.getInt64Ty()) : b_.CreateZExt(v, b_.getInt64Ty());
    return {v, type};
  }
  return {src, type};
}

llvm::Value *ProgramCodegen::to_memory(const CgValue &v, const Type &as) {
  if (!is_register_value(*v.type) && *v.type == as)
    return v.value;
  auto *dst = slot(as.size);
  store_to(dst, v, as);
  return dst;
}

llvm::Value *ProgramCodegen::to_i64(const CgValue &v) {
  if (v.value->getType()->isPointerTy())
    return b_.CreatePtrToInt(v.value, b_.getInt64Ty());
  if (v.value->getType()->getIntegerBitWidth() < 64)
    return b_.CreateZExt(v.value, b_.getInt64Ty());
  return v.value;
}

// With -p, probes that fire in every process (tracepoints, kprobes, timers
// sampling all CPUs) run their body only for the target. Uprobes are attached
// to it alone; begin/end and interval belong to no process.
// The verifier knows the loaded pid and drops the filter when it is 0.
void ProgramCodegen::emit_pid_filter() {
  if (!probe_.kind->filters_pid)
    return;
  auto *pid = load_time_constant(script_.filter_pid);
  auto *filtered = new_block("filtered");
  auto *other = new_block("other_process");
  auto *target = new_block("target_process");
  b_.CreateCondBr(b_.CreateICmpEQ(pid, b_.getInt64(0)), target, filtered);
  b_.SetInsertPoint(filtered);
  auto *current = b_.CreateLShr(h_.call(Helper::GetCurrentPidTgid, {}), 32);
  b_.CreateCondBr(b_.CreateICmpEQ(current, pid), target, other);
  b_.SetInsertPoint(other);
  return_zero();
  b_.SetInsertPoint(target);
}

// Once a probe has called exit(), the others do nothing more.
void ProgramCodegen::emit_exit_check() {
  if (probe_.kind->runs_after_exit)
    return;
  auto *exited = b_.CreateLoad(b_.getInt64Ty(), script_.exited, /*isVolatile=*/true);
  auto *stop = new_block("after_exit_call");
  auto *run = new_block("not_exited");
  b_.CreateCondBr(b_.CreateICmpNE(exited, b_.getInt64(0)), stop, run);
  b_.SetInsertPoint(stop);
  return_zero();
  b_.SetInsertPoint(run);
}

// Volatile: LLVM must not assume the initial 0 the object is compiled with.
llvm::Value *ProgramCodegen::load_time_constant(llvm::GlobalVariable *global) {
  return b_.CreateLoad(b_.getInt64Ty(), global, /*isVolatile=*/true);
}

llvm::Value *ProgramCodegen::opaque(llvm::Value *v) {
  auto *s = slot(8);
  b_.CreateStore(v, s, /*isVolatile=*/true);
  return b_.CreateLoad(b_.getInt64Ty(), s, /*isVolatile=*/true);
}

// ---------------------------------------------------------- control flow

llvm::BasicBlock *ProgramCodegen::new_block(const std::string &name) {
  return llvm::BasicBlock::Create(b_.getContext(), name, fn_);
}

// Ends the probe; inside a map callback that means ending the iteration.
void ProgramCodegen::return_zero() {
  if (in_callback_ && probe_returned_)
    b_.CreateStore(b_.getInt64(1), probe_returned_);
  b_.CreateRet(b_.getInt64(in_callback_ ? 1 : 0));
}

void ProgramCodegen::if_then(llvm::Value *cond, const std::function<void()> &then_fn) {
  auto *then_block = new_block("then");
  auto *done = new_block("done");
  b_.CreateCondBr(cond, then_block, done);
  b_.SetInsertPoint(then_block);
  then_fn();
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

llvm::Function *
ProgramCodegen::loop_callback(const std::string &name,
                              const std::function<void(llvm::Value *, llvm::Value *)> &body) {
  auto *here = b_.getCurrentDebugLocation().get();
  int line = here ? static_cast<int>(here->getLine()) : location_.begin_line;
  int col = here ? static_cast<int>(here->getColumn()) : location_.begin_col;
  auto *callback = script_.module.add_loop_callback(
      fn_->getName().str() + "_" + name + std::to_string(callback_count_++), line);
  auto *saved_fn = fn_;
  auto *saved_block = b_.GetInsertBlock();
  auto saved_location = b_.getCurrentDebugLocation();
  fn_ = callback;
  b_.SetInsertPoint(new_block("entry"));
  b_.SetCurrentDebugLocation(script_.module.location(callback, line, col));
  body(callback->getArg(0), callback->getArg(1));
  fn_ = saved_fn;
  b_.SetInsertPoint(saved_block);
  b_.SetCurrentDebugLocation(saved_location);
  return callback;
}

// -------------------------------------------------------------- variables

llvm::Value *ProgramCodegen::variable_slot(const std::string &name) {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto found = it->find(name);
    if (found != it->end())
      return found->second.first;
  }
  return nullptr;
}

llvm::Value *ProgramCodegen::define_variable(const std::string &name, const TypePtr &type,
                                             const ast::Node &definition, bool whole_probe) {
  // A string variable may later hold a longer string: give it the most room.
  uint64_t size = type->kind == Kind::String
                      ? std::max(type->size, script_.program.config.max_strlen)
                      : type->size;
  // A map loop's callback writes to it: in scratch, whose contents the
  // verifier does not track, so the callback's states repeat.
  auto *s = shared_variables_.count(&definition) ? scratch_slot(size) : slot(size);
  // A variable lives on after the statement that declared it.
  if (!statement_slots_.empty() && !statement_slots_.back().empty() &&
      statement_slots_.back().back().address == s)
    statement_slots_.back().pop_back();
  (whole_probe ? scopes_.front() : scopes_.back())[name] = {s, type};
  return s;
}

} // namespace sonde::codegen
