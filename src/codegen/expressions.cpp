#include "codegen/program_codegen.h"
#include "sema/integers.h"

#include <algorithm>

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

void ProgramCodegen::visit(ast::IntegerLiteral &node) {
  result_ = {b_.getInt64(node.value), node.type};
}

void ProgramCodegen::visit(ast::BoolLiteral &node) {
  result_ = {b_.getInt64(node.value ? 1 : 0), node.type};
}

void ProgramCodegen::visit(ast::StringLiteral &node) {
  auto *s = slot(node.type->size);
  // Whole words where possible: BPF stores at most 8 bytes at a time.
  std::string bytes = node.value;
  bytes.resize(node.type->size, '\0');
  for (uint64_t off = 0; off < bytes.size();) {
    uint64_t width = bytes.size() - off >= 8 ? 8 : bytes.size() - off >= 4 ? 4 : 1;
    uint64_t word = 0;
    for (uint64_t i = 0; i < width; i++)
      word |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[off + i])) << (8 * i);
    b_.CreateStore(b_.getIntN(static_cast<unsigned>(width * 8), word), byte_ptr(s, off));
    off += width;
  }
  result_ = {s, node.type};
}

void ProgramCodegen::visit(ast::PositionalParam &node) {
  const auto &params = script_.program.params;
  if (node.is_count) {
    result_ = {b_.getInt64(params.size()), node.type};
    return;
  }
  std::string value = node.index >= 1 && static_cast<size_t>(node.index) <= params.size()
                          ? params[node.index - 1]
                          : "";
  if (node.type->kind == Kind::Integer) {
    result_ = {b_.getInt64(std::strtoull(value.c_str(), nullptr, 0)), node.type};
    return;
  }
  ast::StringLiteral literal;
  literal.value = value;
  literal.type = node.type;
  visit(literal);
}

void ProgramCodegen::visit(ast::Identifier &node) { result_ = builtin_variable(node); }

void ProgramCodegen::visit(ast::Variable &node) {
  auto *s = variable_slot(node.name);
  if (!s) {
    // Not set by anything lowered before this read (variables a map loop's
    // callback sets first are defined up front): here it has not been set.
    s = define_variable(node.name, node.type, node, /*whole_probe=*/true);
    zero(s, node.type->size);
  }
  result_ = load_from(s, node.type);
}

void ProgramCodegen::visit(ast::TypeExpr &node) { result_ = {b_.getInt64(0), node.type}; }

void ProgramCodegen::visit(ast::MapRef &node) {
  auto *key = build_key(node);
  result_ = read_map(node, key, /*report_missing=*/script_.options.helper_errors);
}

void ProgramCodegen::visit(ast::Unary &node) {
  using Op = ast::UnaryOp;
  if (node.op == Op::PreInc || node.op == Op::PreDec || node.op == Op::PostInc ||
      node.op == Op::PostDec) {
    int64_t delta = node.op == Op::PreInc || node.op == Op::PostInc ? 1 : -1;
    bool post = node.op == Op::PostInc || node.op == Op::PostDec;
    if (auto *map = dynamic_cast<ast::MapRef *>(node.operand.get())) {
      auto *key = build_key(*map);
      auto old = read_map(*map, key);
      auto *updated = b_.CreateAdd(to_i64(old), b_.getInt64(delta));
      write_map(*map, key, {updated, old.type});
      result_ = {post ? to_i64(old) : updated, node.type};
      return;
    }
    auto &var = static_cast<ast::Variable &>(*node.operand);
    auto *s = variable_slot(var.name);
    auto old = load_from(s, var.type);
    llvm::Value *step = b_.getInt64(delta);
    if (var.type->kind == Kind::Pointer)
      step = pointer_offset(*var.type, step);
    auto *updated = b_.CreateAdd(to_i64(old), step);
    store_to(s, {updated, var.type}, *var.type);
    result_ = {post ? to_i64(old) : updated, node.type};
    return;
  }
  if (node.op == Op::AddressOf) {
    // &p->field is the field's address in kernel or user memory.
    if (auto remote = remote_address(*node.operand)) {
      result_ = {remote->address, node.type};
      return;
    }
    // &$x is where the variable is kept, not its value.
    auto *var = dynamic_cast<ast::Variable *>(node.operand.get());
    if (auto *slot = var ? variable_slot(var->name) : nullptr) {
      result_ = {b_.CreatePtrToInt(slot, b_.getInt64Ty()), node.type};
      return;
    }
  }
  auto v = gen(*node.operand);
  switch (node.op) {
  case Op::Not:
    result_ = {b_.CreateZExt(b_.CreateICmpEQ(to_i64(v), b_.getInt64(0)), b_.getInt64Ty()),
               node.type};
    return;
  case Op::Neg:
    result_ = {b_.CreateNeg(to_i64(v)), node.type};
    return;
  case Op::BitNot:
    result_ = {b_.CreateNot(to_i64(v)), node.type};
    return;
  case Op::Deref: {
    // Reads through a pointer into kernel or user memory.
    RemoteValue remote{to_i64(v), node.type, user_address(*v.type)};
    result_ = read_remote(remote, node.type);
    return;
  }
  case Op::AddressOf:
    result_ = {to_i64(v), node.type};
    return;
  default:
    return;
  }
}

llvm::Value *ProgramCodegen::binary_integer(ast::BinaryOp op, llvm::Value *l, llvm::Value *r,
                                            bool is_signed) {
  using Op = ast::BinaryOp;
  switch (op) {
  case Op::Add:
    return b_.CreateAdd(l, r);
  case Op::Sub:
    return b_.CreateSub(l, r);
  case Op::Mul:
    return b_.CreateMul(l, r);
  case Op::Div:
  case Op::Mod: {
    // BPF (cpu v3) divides unsigned only, and a zero divisor yields 0 for
    // division and the dividend for modulo; signed operands divide by
    // magnitude and take the sign back afterwards, as C does.
    if (!is_signed)
      return op == Op::Div ? b_.CreateUDiv(l, r) : b_.CreateURem(l, r);
    auto *l_neg = b_.CreateICmpSLT(l, b_.getInt64(0));
    auto *r_neg = b_.CreateICmpSLT(r, b_.getInt64(0));
    auto *l_abs = b_.CreateSelect(l_neg, b_.CreateNeg(l), l);
    auto *r_abs = b_.CreateSelect(r_neg, b_.CreateNeg(r), r);
    if (op == Op::Div) {
      auto *q = b_.CreateUDiv(l_abs, r_abs);
      return b_.CreateSelect(b_.CreateXor(l_neg, r_neg), b_.CreateNeg(q), q);
    }
    auto *m = b_.CreateURem(l_abs, r_abs);
    return b_.CreateSelect(l_neg, b_.CreateNeg(m), m);
  }
  case Op::BitAnd:
    return b_.CreateAnd(l, r);
  case Op::BitOr:
    return b_.CreateOr(l, r);
  case Op::BitXor:
    return b_.CreateXor(l, r);
  case Op::Shl:
    return b_.CreateShl(l, r);
  case Op::Shr:
    return is_signed ? b_.CreateAShr(l, r) : b_.CreateLShr(l, r);
  case Op::Eq:
    return b_.CreateZExt(b_.CreateICmpEQ(l, r), b_.getInt64Ty());
  case Op::Ne:
    return b_.CreateZExt(b_.CreateICmpNE(l, r), b_.getInt64Ty());
  case Op::Lt:
    return b_.CreateZExt(is_signed ? b_.CreateICmpSLT(l, r) : b_.CreateICmpULT(l, r),
                         b_.getInt64Ty());
  case Op::Le:
    return b_.CreateZExt(is_signed ? b_.CreateICmpSLE(l, r) : b_.CreateICmpULE(l, r),
                         b_.getInt64Ty());
  case Op::Gt:
    return b_.CreateZExt(is_signed ? b_.CreateICmpSGT(l, r) : b_.CreateICmpUGT(l, r),
                         b_.getInt64Ty());
  case Op::Ge:
    return b_.CreateZExt(is_signed ? b_.CreateICmpSGE(l, r) : b_.CreateICmpUGE(l, r),
                         b_.getInt64Ty());
  default:
    return nullptr;
  }
}

// A zero divisor warns (once per call site) and makes the result 1, rather
// than BPF's silent 0 (division) or dividend (modulo).
llvm::Value *ProgramCodegen::divide_checked(const ast::Binary &node, llvm::Value *l, llvm::Value *r,
                                            bool is_signed) {
  auto *is_zero = b_.CreateICmpEQ(r, b_.getInt64(0));
  if_then(is_zero, [&] {
    EventInfo info;
    info.kind = EventKind::Warning;
    info.format = "Divide or modulo by 0 detected. This can lead to unexpected results. 1 is "
                  "being used as the result.";
    locate(info, node.loc, /*with_line=*/true);
    info.size = 8;
    emit_event(add_event(std::move(info)), {});
  });
  auto *result = binary_integer(node.op, l, r, is_signed);
  return b_.CreateSelect(is_zero, b_.getInt64(1), result);
}

// 1 when the first `n` bytes of `a` and `b` match, or match up to a NUL
// they share; `all_matched` may refine the result when all `n` matched.
llvm::Value *
ProgramCodegen::prefix_equal(llvm::Value *a, llvm::Value *b, uint64_t n,
                             const std::function<void(llvm::Value *result)> &all_matched) {
  auto *result = slot(8);
  b_.CreateStore(b_.getInt64(1), result);
  auto *done = new_block("prefix_done");
  for (uint64_t i = 0; i < n; i++) {
    auto *ca = b_.CreateLoad(b_.getInt8Ty(), byte_ptr(a, i));
    auto *cb = b_.CreateLoad(b_.getInt8Ty(), byte_ptr(b, i));
    auto *differ = new_block("prefix_differ");
    auto *same = new_block("prefix_same");
    b_.CreateCondBr(b_.CreateICmpNE(ca, cb), differ, same);
    b_.SetInsertPoint(differ);
    b_.CreateStore(b_.getInt64(0), result);
    b_.CreateBr(done);
    b_.SetInsertPoint(same);
    auto *next = new_block("prefix_next");
    b_.CreateCondBr(b_.CreateICmpEQ(ca, b_.getInt8(0)), done, next);
    b_.SetInsertPoint(next);
  }
  if (all_matched)
    all_matched(result);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  return b_.CreateLoad(b_.getInt64Ty(), result);
}

// 1 when the `n` bytes at `a` and `b` are the same.
llvm::Value *ProgramCodegen::bytes_equal(llvm::Value *a, llvm::Value *b, uint64_t n) {
  llvm::Value *differences = b_.getInt8(0);
  for (uint64_t i = 0; i < n; i++)
    differences =
        b_.CreateOr(differences, b_.CreateXor(b_.CreateLoad(b_.getInt8Ty(), byte_ptr(a, i)),
                                              b_.CreateLoad(b_.getInt8Ty(), byte_ptr(b, i))));
  return b_.CreateZExt(b_.CreateICmpEQ(differences, b_.getInt8(0)), b_.getInt64Ty());
}

// Compares up to the first NUL, as strcmp does, within the shorter buffer.
llvm::Value *ProgramCodegen::string_equal(const CgValue &a, const CgValue &b) {
  uint64_t n = std::min(a.type->size, b.type->size);
  return prefix_equal(a.value, b.value, n, [&](llvm::Value *result) {
    // Equal through the shorter buffer: equal only if the longer one ends there.
    if (a.type->size == b.type->size)
      return;
    const CgValue &longer = a.type->size > b.type->size ? a : b;
    auto *c = b_.CreateLoad(b_.getInt8Ty(), byte_ptr(longer.value, n));
    b_.CreateStore(b_.CreateZExt(b_.CreateICmpEQ(c, b_.getInt8(0)), b_.getInt64Ty()), result);
  });
}

// As bpftrace expands `$a == $b` of tuples to `$a.0 == $b.0 && ...`.
llvm::Value *ProgramCodegen::fields_equal(const CgValue &a, const CgValue &b) {
  llvm::Value *all = b_.getInt64(1);
  for (const auto &field : a.type->fields) {
    const auto &other =
        a.type->kind == Kind::Record
            ? *std::find_if(b.type->fields.begin(), b.type->fields.end(),
                            [&](const types::Field &f) { return f.name == field.name; })
            : b.type->fields[&field - a.type->fields.data()];
    auto x = load_from(byte_ptr(a.value, field.offset), field.type);
    auto y = load_from(byte_ptr(b.value, other.offset), other.type);
    llvm::Value *eq;
    switch (field.type->kind) {
    case Kind::String:
      eq = string_equal(x, y);
      break;
    case Kind::Tuple:
    case Kind::Record:
      eq = fields_equal(x, y);
      break;
    default:
      eq = is_register_value(*field.type) || field.type->kind == Kind::Bool
               ? b_.CreateZExt(b_.CreateICmpEQ(to_i64(x), to_i64(y)), b_.getInt64Ty())
               : bytes_equal(x.value, y.value, std::min(field.type->size, other.type->size));
    }
    all = b_.CreateAnd(all, eq);
  }
  return all;
}

llvm::Value *ProgramCodegen::pointer_offset(const types::Type &pointer, llvm::Value *count) {
  uint64_t step = pointer.element && pointer.element->size ? pointer.element->size : 1;
  return b_.CreateMul(count, b_.getInt64(step));
}

void ProgramCodegen::visit(ast::Binary &node) {
  using Op = ast::BinaryOp;
  if (node.op == Op::LogicalAnd || node.op == Op::LogicalOr) {
    auto *result = slot(8);
    bool is_and = node.op == Op::LogicalAnd;
    auto *lhs = gen_condition(*node.lhs);
    b_.CreateStore(b_.CreateZExt(lhs, b_.getInt64Ty()), result);
    auto *rhs_block = new_block(is_and ? "and_rhs" : "or_rhs");
    auto *done = new_block("logic_done");
    b_.CreateCondBr(lhs, is_and ? rhs_block : done, is_and ? done : rhs_block);
    b_.SetInsertPoint(rhs_block);
    b_.CreateStore(b_.CreateZExt(gen_condition(*node.rhs), b_.getInt64Ty()), result);
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    result_ = {b_.CreateLoad(b_.getInt64Ty(), result), node.type};
    return;
  }
  auto l = gen(*node.lhs);
  auto r = gen(*node.rhs);
  if (l.type->kind == Kind::String || l.type->kind == Kind::Array || l.type->kind == Kind::Tuple ||
      l.type->kind == Kind::Record) {
    auto *eq = l.type->kind == Kind::String  ? string_equal(l, r)
               : l.type->kind == Kind::Array ? bytes_equal(l.value, r.value, l.type->size)
                                             : fields_equal(l, r);
    result_ = {node.op == Op::Eq ? eq : b_.CreateXor(eq, b_.getInt64(1)), node.type};
    return;
  }
  bool l_pointer = l.type->kind == Kind::Pointer, r_pointer = r.type->kind == Kind::Pointer;
  if ((node.op == Op::Add || node.op == Op::Sub) && l_pointer != r_pointer &&
      node.type->kind == Kind::Pointer) {
    auto *base = to_i64(l_pointer ? l : r);
    auto *offset = pointer_offset(*node.type, to_i64(l_pointer ? r : l));
    result_ = {node.op == Op::Add ? b_.CreateAdd(base, offset) : b_.CreateSub(base, offset),
               node.type};
    return;
  }
  if (node.op == Op::Sub && l_pointer && r_pointer) {
    auto *bytes = b_.CreateSub(to_i64(l), to_i64(r));
    result_ = {b_.CreateSDiv(bytes, pointer_offset(*l.type, b_.getInt64(1))), node.type};
    return;
  }
  // Integers of different signs meet in the signed type sema promotes them
  // to (a literal takes the other's sign).
  bool is_signed = l.type->kind == Kind::Integer && r.type->kind == Kind::Integer
                       ? sema::promote_integers(l.type, r.type)->is_signed
                       : (l.type->kind != Kind::Integer || l.type->is_signed) &&
                             (r.type->kind != Kind::Integer || r.type->is_signed) && !l_pointer &&
                             !r_pointer;
  auto *rhs = to_i64(r);
  auto *literal = dynamic_cast<ast::IntegerLiteral *>(node.rhs.get());
  if ((node.op == Op::Div || node.op == Op::Mod) && !(literal && literal->value != 0)) {
    result_ = {divide_checked(node, to_i64(l), rhs, is_signed), node.type};
    return;
  }
  result_ = {binary_integer(node.op, to_i64(l), rhs, is_signed), node.type};
}

void ProgramCodegen::visit(ast::Ternary &node) {
  auto *cond = gen_condition(*node.cond);
  auto *then_block = new_block("ternary_then");
  auto *else_block = new_block("ternary_else");
  auto *done = new_block("ternary_done");
  bool in_register = is_register_value(*node.type) || node.type->kind == Kind::None;
  llvm::Value *result = in_register ? slot(8) : slot(node.type->size);
  b_.CreateCondBr(cond, then_block, else_block);
  auto emit_branch = [&](llvm::BasicBlock *block, ast::Expr *expr) {
    b_.SetInsertPoint(block);
    auto v = expr ? gen(*expr) : gen(*node.cond);
    if (node.type->kind != Kind::None) {
      if (in_register)
        b_.CreateStore(to_i64(v), result);
      else
        store_to(result, v, *node.type);
    }
    b_.CreateBr(done);
  };
  emit_branch(then_block, node.then_expr.get());
  emit_branch(else_block, node.else_expr.get());
  b_.SetInsertPoint(done);
  if (in_register)
    result_ = {b_.CreateLoad(b_.getInt64Ty(), result), node.type};
  else
    result_ = {result, node.type};
}

void ProgramCodegen::visit(ast::FieldAccess &node) {
  if (node.base->type->kind == Kind::Pointer ||
      (node.base->type->kind == Kind::Struct && !dynamic_cast<ast::Identifier *>(node.base.get()) &&
       !dynamic_cast<ast::Variable *>(node.base.get()))) {
    if (auto remote = remote_address(node)) {
      // A flexible array member: sema made it the address of its first element.
      bool flexible_array = remote->type->kind == Kind::Array && remote->type->count == 0 &&
                            node.type->kind == Kind::Pointer;
      result_ =
          flexible_array ? CgValue{remote->address, node.type} : read_remote(*remote, node.type);
      return;
    }
  }
  auto base = gen(*node.base);
  const Type *record = base.type.get();
  if (record->kind == Kind::Pointer)
    record = record->element.get();
  for (const auto &field : record->fields) {
    if (field.name != node.field)
      continue;
    if (base.value == ctx_ && !as_raw_tracepoint_ && instance_.args &&
        base.type == instance_.args) {
      // Each program reads the field of its own tracepoint's layout.
      result_ = tracepoint_field(field, field.data_loc ? node.type : field.type);
    } else {
      result_ = load_from(byte_ptr(base.value, field.offset), field.type);
    }
    // Sema found the enumerators of an enum the field only names.
    if (!node.type->enumerators.empty() && result_.type->kind == Kind::Integer)
      result_.type = node.type;
    return;
  }
  result_ = {b_.getInt64(0), node.type};
}

void ProgramCodegen::visit(ast::TupleIndex &node) {
  auto base = gen(*node.base);
  const auto &field = base.type->fields[node.index];
  result_ = load_from(byte_ptr(base.value, field.offset), field.type);
}

void ProgramCodegen::visit(ast::Index &node) {
  auto base = gen(*node.base);
  if (base.type->kind == Kind::Tuple) {
    auto index = static_cast<ast::IntegerLiteral &>(*node.index).value;
    const auto &field = base.type->fields[index];
    result_ = load_from(byte_ptr(base.value, field.offset), field.type);
    return;
  }
  auto index = opaque(to_i64(gen(*node.index)));
  const auto element =
      base.type->kind == Kind::String ? Type::integer(1, true) : base.type->element;
  auto *offset = b_.CreateMul(index, b_.getInt64(element->size));
  if (base.type->kind == Kind::Array || base.type->kind == Kind::String) {
    uint64_t count = base.type->kind == Kind::String ? base.type->size : base.type->count;
    // Bounds are checked so that the verifier sees the access stays inside.
    auto *in_range = b_.CreateICmpULT(index, b_.getInt64(count));
    auto *dst = slot(element->size);
    zero(dst, element->size);
    if_then(in_range, [&] {
      auto *src = b_.CreateInBoundsGEP(b_.getInt8Ty(), base.value, offset);
      copy(dst, src, element->size);
    });
    result_ = load_from(dst, element);
    return;
  }
  auto *dst = slot(element->size);
  auto helper = base.type->user_space ? Helper::ProbeReadUser : Helper::ProbeReadKernel;
  h_.call(helper, {dst, b_.getInt64(element->size), b_.CreateAdd(to_i64(base), offset)});
  result_ = load_from(dst, element);
}

void ProgramCodegen::visit(ast::Cast &node) {
  auto v = gen(*node.operand);
  const auto &to = node.type;
  if (to->kind == Kind::Integer && v.type->kind == Kind::Array) {
    result_ = load_from(v.value, to); // the array's bytes, as sema checked the sizes match
    return;
  }
  if (to->kind == Kind::Integer) {
    auto *narrow = b_.CreateTrunc(to_i64(v), b_.getIntNTy(static_cast<unsigned>(to->size * 8)));
    result_ = {to->is_signed ? b_.CreateSExt(narrow, b_.getInt64Ty())
                             : b_.CreateZExt(narrow, b_.getInt64Ty()),
               to};
    return;
  }
  if (to->kind == Kind::Bool && v.type->kind == Kind::String) {
    auto *first = b_.CreateLoad(b_.getInt8Ty(), v.value);
    result_ = {b_.CreateZExt(b_.CreateICmpNE(first, b_.getInt8(0)), b_.getInt64Ty()), to};
    return;
  }
  if (to->kind == Kind::Bool) {
    result_ = {b_.CreateZExt(b_.CreateICmpNE(to_i64(v), b_.getInt64(0)), b_.getInt64Ty()), to};
    return;
  }
  if (to->kind == Kind::Array || to->kind == Kind::String) {
    auto *dst = slot(to->size);
    zero(dst, to->size);
    store_to(dst, v, *to);
    // A shorter string keeps its NUL, as str(s, n) does.
    if (to->kind == Kind::String && v.type->size > to->size)
      b_.CreateStore(b_.getInt8(0), byte_ptr(dst, to->size - 1));
    result_ = {dst, to};
    return;
  }
  result_ = {to_i64(v), to};
}

void ProgramCodegen::visit(ast::TupleExpr &node) {
  auto *dst = slot(node.type->size);
  zero(dst, node.type->size);
  for (size_t i = 0; i < node.elements.size(); i++) {
    const auto &field = node.type->fields[i];
    store_to(byte_ptr(dst, field.offset), gen(*node.elements[i]), *field.type);
  }
  result_ = {dst, node.type};
}

void ProgramCodegen::visit(ast::RecordExpr &node) {
  auto *dst = slot(node.type->size);
  zero(dst, node.type->size);
  for (size_t i = 0; i < node.values.size(); i++) {
    const auto &field = node.type->fields[i];
    store_to(byte_ptr(dst, field.offset), gen(*node.values[i]), *field.type);
  }
  result_ = {dst, node.type};
}

} // namespace sonde::codegen
