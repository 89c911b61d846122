// Operators: unary, binary, ternary, field access, indexing, casts and the
// type names they use.
#include "sema/type_checker.h"

#include "sema/integers.h"
#include "sema/suggest.h"

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

// Memory reached through user memory is user memory: a pointer read from
// there, or from a struct copied out of there, points into the process too.
TypePtr in_memory_of(const TypePtr &type, bool user) {
  if (!user || type->user_space || (type->kind != Kind::Pointer && type->kind != Kind::Struct))
    return type;
  auto copy = std::make_shared<Type>(*type);
  copy->user_space = true;
  return copy;
}

const std::map<std::string, std::pair<int, bool>> kIntegerTypes = {
    {"int8", {1, true}},   {"int16", {2, true}},   {"int32", {4, true}},   {"int64", {8, true}},
    {"uint8", {1, false}}, {"uint16", {2, false}}, {"uint32", {4, false}}, {"uint64", {8, false}},
};

} // namespace

void TypeChecker::visit(ast::TypeExpr &node) { node.type = resolve_type_name(node.type_name); }

TypePtr TypeChecker::resolve_type_name(const ast::TypeName &name) {
  TypePtr base;
  auto it = kIntegerTypes.find(name.base);
  if (name.typeof_expr)
    base = check(*name.typeof_expr);
  else if (it != kIntegerTypes.end())
    base = Type::integer(it->second.first, it->second.second);
  else if (name.base == "bool")
    base = Type::boolean();
  else if (name.base == "void")
    base = Type::void_type();
  else if (name.base == "string")
    base = Type::string(config().max_strlen);
  else if (auto c_type = out_.types.find(name.base))
    base = c_type;
  else if (auto user_type = probed_binary_type(name.base))
    base = user_type;
  else {
    bool tagged = name.base.rfind("struct ", 0) == 0 || name.base.rfind("union ", 0) == 0 ||
                  name.base.rfind("enum ", 0) == 0;
    error(name.loc, "Unknown type: '" + name.base + "'",
          tagged ? "neither the script's C definitions, the kernel's BTF nor the probed "
                   "binary's debug info define it"
                 : "");
    return Type::integer(8, true);
  }
  for (int i = 0; i < name.pointer_depth; i++)
    base = Type::pointer(base);
  if (name.array_length && base->kind == Kind::String && name.pointer_depth == 0)
    return Type::string(*name.array_length);
  if (name.array_length)
    base = Type::array(base, *name.array_length);
  return base;
}

// A type from the debug info of the binary a uprobe or usdt probe is in.
TypePtr TypeChecker::probed_binary_type(const std::string &c_name) {
  if (!probe_ || !user_probe() || !instance_ || instance_->targets.empty() ||
      instance_->targets[0].fields.empty())
    return nullptr;
  return catalog_.user_type(instance_->targets[0].fields[0], c_name);
}

void TypeChecker::visit(ast::Unary &node) {
  bool step = node.op == ast::UnaryOp::PreInc || node.op == ast::UnaryOp::PreDec ||
              node.op == ast::UnaryOp::PostInc || node.op == ast::UnaryOp::PostDec;
  if (auto *var = dynamic_cast<ast::Variable *>(node.operand.get()); var && step)
    widen_counter(*var);
  auto t = check(*node.operand);
  switch (node.op) {
  case ast::UnaryOp::Not:
    if (!is_integer(t) && t->kind != Kind::Pointer)
      error(node.loc, "The ! operator expects an integer or bool, got '" + t->display_name() + "'");
    node.type = Type::boolean();
    return;
  case ast::UnaryOp::Neg:
  case ast::UnaryOp::BitNot:
    if (!is_integer(t))
      error(node.loc, "The operator expects an integer, got '" + t->display_name() + "'");
    // -N is an int64: N up to 2^63.
    if (auto *literal = dynamic_cast<ast::IntegerLiteral *>(node.operand.get());
        literal && node.op == ast::UnaryOp::Neg &&
        literal->value > static_cast<uint64_t>(INT64_MAX) + 1)
      error(node.loc, "-" + std::to_string(literal->value) + " does not fit in an int64");
    if (auto *literal = dynamic_cast<ast::IntegerLiteral *>(node.operand.get());
        literal && node.op == ast::UnaryOp::Neg &&
        literal->value <= static_cast<uint64_t>(INT64_MAX)) {
      node.type = literal_type(-static_cast<int64_t>(literal->value));
      return;
    }
    node.type =
        node.op == ast::UnaryOp::Neg ? Type::integer(8, true) : Type::integer(8, t->is_signed);
    return;
  case ast::UnaryOp::PreInc:
  case ast::UnaryOp::PreDec:
  case ast::UnaryOp::PostInc:
  case ast::UnaryOp::PostDec: {
    auto *map = dynamic_cast<ast::MapRef *>(node.operand.get());
    auto *var = dynamic_cast<ast::Variable *>(node.operand.get());
    if (map) {
      auto *sym = find_map("@" + map->name);
      if (!sym || !sym->value)
        assign_map_value(*map, Type::integer(8, true), node.loc);
      else if (!sym->value->is_integer_like())
        error(node.loc, "++ and -- need an integer map, " + sym->name + " holds '" +
                            sym->value->display_name() + "'");
      node.type = Type::integer(8, true);
      return;
    }
    if (!var) {
      error(node.loc, "++ and -- apply to variables and maps only");
    } else if (t->kind == Kind::Pointer) {
      node.type = t; // steps by the size of what it points to
      return;
    } else if (!is_integer(t)) {
      error(node.loc, "++ and -- need an integer or a pointer, got '" + t->display_name() + "'");
    }
    // As a subtraction, a decrement is signed (bpftrace 0.26).
    bool decrement = node.op == ast::UnaryOp::PreDec || node.op == ast::UnaryOp::PostDec;
    node.type = Type::integer(8, t->is_signed || decrement);
    return;
  }
  case ast::UnaryOp::Deref:
    if (is_integer(t)) {
      // An integer is an address (kaddr(), a raw argument): read 8 bytes.
      node.type = Type::integer(8, t->is_signed);
    } else if (t->kind != Kind::Pointer) {
      error(node.loc, "Cannot dereference a value of type '" + t->display_name() + "'");
      node.type = Type::integer(8, true);
    } else {
      node.type = in_memory_of(c_value_type(t->element), t->user_space);
    }
    return;
  case ast::UnaryOp::AddressOf: {
    // The address keeps the address space of the pointer it came through.
    auto *field = dynamic_cast<ast::FieldAccess *>(node.operand.get());
    bool user = field && field->base->type && field->base->type->kind == Kind::Pointer &&
                field->base->type->user_space;
    node.type = Type::pointer(t, user);
    return;
  }
  }
}

// Integers of different signs meet in a signed type that holds both (int64
// when none does), as bpftrace 0.26 converts them; an operand that
// conversion may change is warned about as bpftrace does.
void TypeChecker::warn_sign_mismatch(ast::Binary &node) {
  const auto &l = node.lhs->type;
  const auto &r = node.rhs->type;
  if (l->kind != Kind::Integer || r->kind != Kind::Integer || l->is_signed == r->is_signed)
    return;
  auto common = promote_integers(l, r);
  for (auto *side : {node.lhs.get(), node.rhs.get()})
    if (may_change_value(*side->type, *common))
      warning(side->loc, implicit_cast_warning(*side->type, *common));
}

void TypeChecker::visit(ast::Binary &node) {
  auto l = check(*node.lhs);
  auto r = check(*node.rhs);
  using Op = ast::BinaryOp;
  bool comparison = node.op == Op::Eq || node.op == Op::Ne || node.op == Op::Lt ||
                    node.op == Op::Le || node.op == Op::Gt || node.op == Op::Ge;
  if (node.op == Op::LogicalAnd || node.op == Op::LogicalOr) {
    for (auto *side : {node.lhs.get(), node.rhs.get()})
      if (!is_integer(side->type) && side->type->kind != Kind::Pointer)
        error(side->loc, "Logical operators expect integers or bools, got '" +
                             side->type->display_name() + "'");
    node.type = Type::boolean();
    return;
  }
  for (auto *side : {node.lhs.get(), node.rhs.get()}) {
    auto *param = dynamic_cast<ast::PositionalParam *>(side);
    if (param && side->type->kind == Kind::String && node.op != Op::Eq && node.op != Op::Ne) {
      std::string n = std::to_string(param->index);
      error(side->loc,
            "$" + n + " is used as a number but was given \"" + positional_value(param->index) +
                "\"",
            "use str($" + n + ") for the string, or give a number");
      node.type = Type::integer(8, true);
      return;
    }
  }
  if (l->kind == Kind::String || r->kind == Kind::String) {
    l = check_string(node.lhs);
    r = check_string(node.rhs);
    if ((node.op != Op::Eq && node.op != Op::Ne) || l->kind != r->kind)
      error(node.loc, "Invalid operands for a string operation: '" + l->display_name() + "' and '" +
                          r->display_name() + "'; strings support == and !=");
    node.type = Type::boolean();
    return;
  }
  if (l->kind == Kind::Tuple || l->kind == Kind::Record || r->kind == Kind::Tuple ||
      r->kind == Kind::Record) {
    if ((node.op != Op::Eq && node.op != Op::Ne) || !unify(storage_type(l), storage_type(r)))
      error(node.loc, "Invalid operands for a tuple comparison: '" + l->display_name() + "' and '" +
                          r->display_name() +
                          "'; tuples with elements of the same types support == and !=");
    node.type = Type::boolean();
    return;
  }
  if (l->kind == Kind::Array || r->kind == Kind::Array) {
    if ((node.op != Op::Eq && node.op != Op::Ne) || *l != *r)
      error(node.loc, "Invalid operands for an array operation: '" + l->display_name() + "' and '" +
                          r->display_name() + "'; arrays of one type support == and !=");
    node.type = Type::boolean();
    return;
  }
  // Two usernames are the same user when their uids are.
  if (l->kind == Kind::Username && r->kind == Kind::Username &&
      (node.op == Op::Eq || node.op == Op::Ne)) {
    node.type = Type::boolean();
    return;
  }
  bool pointer_arithmetic =
      (l->kind == Kind::Pointer && is_integer(r)) || (r->kind == Kind::Pointer && is_integer(l));
  if (!(is_integer(l) || l->kind == Kind::Pointer) ||
      !(is_integer(r) || r->kind == Kind::Pointer)) {
    error(node.loc,
          "Invalid operands: '" + l->display_name() + "' and '" + r->display_name() + "'");
    node.type = Type::integer(8, true);
    return;
  }
  if (node.op != Op::Shl && node.op != Op::Shr)
    warn_sign_mismatch(node);
  if (comparison) {
    node.type = Type::boolean();
    return;
  }
  bool arithmetic = node.op == Op::Add || node.op == Op::Sub;
  if ((l->kind == Kind::Pointer || r->kind == Kind::Pointer) && !arithmetic) {
    error(node.loc, "Invalid operands: '" + l->display_name() + "' and '" + r->display_name() +
                        "': pointers take only + and - (cast the pointer to an integer first)");
    node.type = Type::integer(8, false);
    return;
  }
  // As in C: a pointer plus or minus n moves by n of what it points to; the
  // difference of two pointers counts those between them.
  if (pointer_arithmetic &&
      (node.op == Op::Add || (node.op == Op::Sub && l->kind == Kind::Pointer))) {
    node.type = l->kind == Kind::Pointer ? l : r;
    return;
  }
  if (l->kind == Kind::Pointer && r->kind == Kind::Pointer && node.op == Op::Sub) {
    node.type = Type::integer(8, true);
    return;
  }
  // As bpftrace 0.26: a difference is signed, as adding a negative number
  // would be; so is a result with a signed operand, unless that operand is a
  // literal (never negative: `-1` is a negation), which takes any sign.
  auto is_signed_operand = [](const ast::Expr &e) {
    return e.type->kind != Kind::Integer ||
           (e.type->is_signed && !dynamic_cast<const ast::IntegerLiteral *>(&e));
  };
  bool unsigned_operand =
      (l->kind == Kind::Integer && !l->is_signed) || (r->kind == Kind::Integer && !r->is_signed);
  bool is_signed = node.op == Op::Sub || is_signed_operand(*node.lhs) ||
                   is_signed_operand(*node.rhs) || !unsigned_operand;
  node.type = Type::integer(8, is_signed);
}

void TypeChecker::visit(ast::Ternary &node) {
  check_condition(*node.cond);
  TypePtr then_type = node.then_expr ? check(*node.then_expr) : node.cond->type;
  TypePtr else_type = check(*node.else_expr);
  if (then_type->kind == Kind::None && else_type->kind == Kind::None) {
    node.type = Type::none();
    return;
  }
  auto u = unify(storage_type(then_type), storage_type(else_type));
  if (!u) {
    error(node.loc, "Ternary operator branches have different types: '" +
                        then_type->display_name() + "' and '" + else_type->display_name() + "'");
    u = then_type;
  }
  node.type = u;
}

TypePtr TypeChecker::c_value_type(const TypePtr &type) {
  // `char x[N]` (plain char is int8) reads as a string; `__u8 x[N]` stays bytes.
  if (type->kind == Kind::Array && type->element && type->element->kind == Kind::Integer &&
      type->element->size == 1 && type->element->is_signed && type->count > 0)
    return Type::string(type->count);
  // Tracepoint formats name a field's enum but not its enumerators.
  if (type->kind == Kind::Integer && type->enumerators.empty() && type->name.starts_with("enum "))
    if (auto definition = out_.types.find(type->name);
        definition && definition->kind == Kind::Integer)
      return types::resized_integer(definition, type->size);
  return out_.types.resolve(type);
}

void TypeChecker::visit(ast::FieldAccess &node) {
  auto t = check(*node.base);
  bool user = t->user_space;
  if (t->kind == Kind::Pointer && t->element && t->element->kind == Kind::Struct)
    t = out_.types.resolve(t->element);
  if (t->kind != Kind::Record && t->kind != Kind::Struct) {
    error(node.loc, "Cannot access field '" + node.field + "' of a value of type '" +
                        t->display_name() + "'");
    node.type = Type::integer(8, true);
    return;
  }
  std::vector<std::string> names;
  for (const auto &f : t->fields) {
    if (f.name == node.field) {
      // `__data_loc char[]` fields read as strings.
      bool text = f.data_loc && f.type->element && f.type->element->size == 1;
      // A flexible array member (`char data[]`) is its address, as in C.
      if (!text && f.type->kind == Kind::Array && f.type->count == 0 && f.type->element)
        node.type = Type::pointer(out_.types.resolve(f.type->element), user);
      else
        node.type =
            text ? Type::string(config().max_strlen) : in_memory_of(c_value_type(f.type), user);
      return;
    }
    names.push_back(f.name);
  }
  std::string near = closest_name(node.field, names);
  error(node.loc, "'" + t->display_name() + "' has no field named '" + node.field + "'",
        near.empty() ? "" : "did you mean '" + near + "'?");
  node.type = Type::integer(8, true);
}

void TypeChecker::visit(ast::TupleIndex &node) {
  auto t = check(*node.base);
  if (t->kind != Kind::Tuple) {
    error(node.loc, "Cannot index a value of type '" + t->display_name() + "' with ." +
                        std::to_string(node.index));
    node.type = Type::integer(8, true);
    return;
  }
  if (node.index >= t->fields.size()) {
    error(node.loc, "Tuple index " + std::to_string(node.index) + " is out of range for '" +
                        t->display_name() + "'");
    node.type = Type::integer(8, true);
    return;
  }
  node.type = t->fields[node.index].type;
}

void TypeChecker::visit(ast::Index &node) {
  auto t = check(*node.base);
  auto i = check(*node.index);
  if (!is_integer(i))
    error(node.index->loc, "An index must be an integer, got '" + i->display_name() + "'");
  if (t->kind == Kind::Tuple) {
    auto index = constant_value(*node.index);
    if (!index) {
      error(node.index->loc, "A tuple index must be an integer literal");
    } else if (*index < 0 || static_cast<uint64_t>(*index) >= t->fields.size()) {
      error(node.index->loc, "Tuple index " + std::to_string(*index) + " is out of range for '" +
                                 t->display_name() + "'");
    } else {
      // Codegen reads the field the folded literal names.
      auto folded = std::make_unique<ast::IntegerLiteral>();
      folded->loc = node.index->loc;
      folded->value = static_cast<uint64_t>(*index);
      folded->type = node.index->type;
      node.index = std::move(folded);
      node.type = t->fields[*index].type;
      return;
    }
    node.type = Type::integer(8, true);
    return;
  }
  if (t->kind != Kind::Array && t->kind != Kind::Pointer && t->kind != Kind::String) {
    error(node.loc, "Cannot index a value of type '" + t->display_name() + "'");
    node.type = Type::integer(8, true);
    return;
  }
  uint64_t length = t->kind == Kind::Array ? t->count : t->kind == Kind::String ? t->size : 0;
  if (auto *lit = dynamic_cast<ast::IntegerLiteral *>(node.index.get());
      lit && length && lit->value >= length)
    error(node.index->loc, "Index " + std::to_string(lit->value) + " is out of bounds for '" +
                               t->display_name() + "' (" + std::to_string(length) + " elements)");
  node.type = t->kind == Kind::String ? Type::integer(1, true)
                                      : in_memory_of(c_value_type(t->element), t->user_space);
}

void TypeChecker::visit(ast::Cast &node) {
  auto from = check(*node.operand);
  auto to = resolve_type_name(node.target);
  if (to->kind == Kind::Array && to->count == 0 && to->element->size) {
    // `(uint8[])x`: as many elements as x's bytes hold.
    uint64_t bytes = from->kind == Kind::String ? from->size : is_integer(from) ? from->size : 0;
    to = Type::array(to->element, bytes / to->element->size);
  }
  if (to->kind == Kind::Array) {
    // Integers are 8 bytes in registers; a literal fits any wider width it
    // is cast to.
    auto *negated = dynamic_cast<ast::Unary *>(node.operand.get());
    bool literal = dynamic_cast<ast::IntegerLiteral *>(node.operand.get()) ||
                   (negated && negated->op == ast::UnaryOp::Neg &&
                    dynamic_cast<ast::IntegerLiteral *>(negated->operand.get()));
    bool integer_fits =
        is_integer(from) &&
        (to->size == from->size || from->size == 8 || (literal && to->size > from->size)) &&
        (to->size == 1 || to->size == 2 || to->size == 4 || to->size == 8);
    bool bytes_fit = (from->kind == Kind::Array || from->kind == Kind::String) &&
                     to->element->kind == Kind::Integer && from->size == to->size;
    if (!is_integer(from) && from->kind != Kind::Array && from->kind != Kind::String)
      error(node.loc, "Cannot cast '" + from->display_name() + "' to an array");
    else if (!integer_fits && !bytes_fit)
      error(node.loc, "Cannot cast '" + from->display_name() + "' to '" + to->display_name() +
                          "': sizes differ");
  } else if (from->kind == Kind::Array) {
    if (!is_integer(to) || from->size != to->size)
      error(node.loc, "Cannot cast '" + from->display_name() + "' to '" + to->display_name() + "'" +
                          (is_integer(to) ? ": sizes differ" : ""));
  } else if (from->kind == Kind::String && to->kind == Kind::Bool) {
    // True when not empty.
  } else if (from->kind == Kind::String && to->kind == Kind::String) {
    // `(string[1024])$s`: the same text in a buffer of that size (cut when smaller).
    if (to->size == 0)
      to = from;
  } else if (!is_integer(from) && from->kind != Kind::Pointer) {
    error(node.loc, "Cannot cast '" + from->display_name() + "' to '" + to->display_name() + "'");
  }
  // A pointer cast keeps the address space of what it casts: a user
  // pointer's, or for an integer the probe's (user memory in uprobes).
  if (to->kind == Kind::Pointer) {
    bool user = from->kind == Kind::Pointer ? from->user_space : user_probe();
    if (to->user_space != user) {
      auto in_space = std::make_shared<Type>(*to);
      in_space->user_space = user;
      to = in_space;
    }
  }
  node.type = to;
}

} // namespace sonde::sema
