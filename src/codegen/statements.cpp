#include "codegen/program_codegen.h"
#include "codegen/shared_variables.h"

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

void ProgramCodegen::visit(ast::Block &node) {
  scopes_.emplace_back();
  for (auto &stmt : node.stmts) {
    if (b_.GetInsertBlock()->getTerminator())
      break; // after return/break/continue/exit: the rest never runs
    set_location(*stmt);
    lower_statement(*stmt);
  }
  scopes_.pop_back();
}

void ProgramCodegen::visit(ast::BlockStmt &node) { node.block.accept(*this); }

void ProgramCodegen::visit(ast::BlockExpr &node) {
  in_block_scope(node, [&] {
    result_ = node.value ? gen(*node.value) : CgValue{b_.getInt64(0), node.type};
  });
}

void ProgramCodegen::in_block_scope(ast::BlockExpr &node, const std::function<void()> &use_value) {
  if (node.from_macro)
    macro_calls_.push_back(node.loc);
  scopes_.emplace_back();
  for (auto &stmt : node.block.stmts)
    stmt->accept(*this);
  // A block left by a jump has no value: what uses it is lowered where
  // nothing branches to, and LLVM drops it.
  if (b_.GetInsertBlock()->getTerminator())
    b_.SetInsertPoint(new_block("unreachable"));
  use_value();
  scopes_.pop_back();
  if (node.from_macro)
    macro_calls_.pop_back();
}

// `@m = count()`, also as a block's value (`@m = { let $a = 1; avg($a) }`):
// the map's slot is updated in place.
bool ProgramCodegen::assign_aggregation(ast::MapRef &map, ast::Expr &value) {
  if (auto *call = dynamic_cast<ast::Call *>(&value)) {
    if (!call->type || !call->type->is_aggregation())
      return false;
    update_aggregation(map, *call);
    return true;
  }
  auto *block = dynamic_cast<ast::BlockExpr *>(&value);
  if (!block || !block->value || !block->value->type || !block->value->type->is_aggregation())
    return false;
  in_block_scope(*block, [&] { assign_aggregation(map, *block->value); });
  return true;
}

void ProgramCodegen::visit(ast::ExprStmt &node) { gen(*node.expr); }

void ProgramCodegen::visit(ast::Assign &node) {
  auto *map = dynamic_cast<ast::MapRef *>(node.target.get());
  auto *var = dynamic_cast<ast::Variable *>(node.target.get());
  if (map) {
    if (!node.compound && assign_aggregation(*map, *node.value))
      return;
    CgValue value;
    llvm::Value *key = nullptr;
    if (node.compound) {
      key = build_key(*map);
      auto current = read_map(*map, key);
      auto rhs = gen(*node.value);
      bool is_signed = current.type->is_signed && rhs.type->is_signed;
      value = {binary_integer(*node.compound, to_i64(current), to_i64(rhs), is_signed),
               current.type};
    } else {
      value = gen(*node.value);
      key = build_key(*map);
    }
    write_map(*map, key, value);
    return;
  }
  auto *slot_ptr = variable_slot(var->name);
  CgValue value;
  if (node.compound) {
    auto current = load_from(slot_ptr, var->type);
    auto rhs = gen(*node.value);
    llvm::Value *amount = to_i64(rhs);
    if (var->type->kind == types::Kind::Pointer)
      amount = pointer_offset(*var->type, amount);
    value = {binary_integer(*node.compound, to_i64(current), amount, var->type->is_signed),
             var->type};
  } else {
    value = gen(*node.value);
  }
  if (!slot_ptr)
    slot_ptr = define_variable(var->name, var->type, *var, /*whole_probe=*/true);
  store_to(slot_ptr, value, *var->type);
}

void ProgramCodegen::visit(ast::VarDecl &node) {
  auto *s = define_variable(node.name, node.type, node);
  if (node.init)
    store_to(s, gen(*node.init), *node.type);
  else
    zero(s, node.type->size);
}

void ProgramCodegen::visit(ast::If &node) {
  auto *cond = gen_condition(*node.cond);
  auto *then_block = new_block("if_then");
  auto *else_block = node.else_block ? new_block("if_else") : nullptr;
  auto *done = new_block("if_done");
  b_.CreateCondBr(cond, then_block, else_block ? else_block : done);
  b_.SetInsertPoint(then_block);
  node.then_block.accept(*this);
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(done);
  if (else_block) {
    b_.SetInsertPoint(else_block);
    node.else_block->accept(*this);
    if (!b_.GetInsertBlock()->getTerminator())
      b_.CreateBr(done);
  }
  b_.SetInsertPoint(done);
}

void ProgramCodegen::visit(ast::While &node) {
  auto *cond_block = new_block("while_cond");
  auto *body = new_block("while_body");
  auto *done = new_block("while_done");
  b_.CreateBr(cond_block);
  b_.SetInsertPoint(cond_block);
  b_.CreateCondBr(gen_condition(*node.cond), body, done);
  b_.SetInsertPoint(body);
  loops_.push_back({cond_block, done});
  node.body.accept(*this);
  loops_.pop_back();
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(cond_block);
  b_.SetInsertPoint(done);
}

void ProgramCodegen::visit(ast::Unroll &node) {
  auto count = static_cast<ast::IntegerLiteral &>(*node.count).value;
  for (uint64_t i = 0; i < count && !b_.GetInsertBlock()->getTerminator(); i++)
    node.body.accept(*this);
}

void ProgramCodegen::visit(ast::ForRange &node) {
  if (range_in_callback(node)) {
    range_loop_callback(node);
    return;
  }
  auto start = gen(*node.start);
  auto end = gen(*node.end);
  scopes_.emplace_back();
  auto *counter = stack_slot(8);
  scopes_.back()[node.var] = {counter, Type::integer(8, true)};
  b_.CreateStore(to_i64(start), counter);
  auto *end_value = to_i64(end);
  auto *cond_block = new_block("for_cond");
  auto *body = new_block("for_body");
  auto *step = new_block("for_step");
  auto *done = new_block("for_done");
  b_.CreateBr(cond_block);
  b_.SetInsertPoint(cond_block);
  auto *current = b_.CreateLoad(b_.getInt64Ty(), counter);
  b_.CreateCondBr(b_.CreateICmpSLT(current, end_value), body, done);
  b_.SetInsertPoint(body);
  loops_.push_back({step, done});
  node.body.accept(*this);
  loops_.pop_back();
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(step);
  b_.SetInsertPoint(step);
  b_.CreateStore(b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), counter), b_.getInt64(1)), counter);
  b_.CreateBr(cond_block);
  b_.SetInsertPoint(done);
  scopes_.pop_back();
}

void ProgramCodegen::visit(ast::Jump &node) {
  switch (node.kind) {
  // In a map callback, returning 1 stops the iteration and 0 goes on.
  case ast::JumpKind::Break:
    if (loops_.back().break_to)
      b_.CreateBr(loops_.back().break_to);
    else
      b_.CreateRet(b_.getInt64(1));
    break;
  case ast::JumpKind::Continue:
    if (loops_.back().continue_to)
      b_.CreateBr(loops_.back().continue_to);
    else
      b_.CreateRet(b_.getInt64(0));
    break;
  case ast::JumpKind::Return:
    if (node.value) {
      CgValue value = gen(*node.value);
      // A test probe's result: non-zero fails the test.
      if (probe_.kind->returns_value && !in_callback_ && value.type->is_integer_like()) {
        b_.CreateRet(to_i64(value));
        break;
      }
    }
    return_zero();
    break;
  }
}

} // namespace sonde::codegen
