#include "sema/type_checker.h"

#include <algorithm>

#include "sema/builtins.h"
#include "sema/suggest.h"

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

const std::map<std::string, std::pair<int, bool>> kIntegerTypes = {
    {"int8", {1, true}},   {"int16", {2, true}},   {"int32", {4, true}},
    {"int64", {8, true}},  {"uint8", {1, false}},  {"uint16", {2, false}},
    {"uint32", {4, false}}, {"uint64", {8, false}},
};

// How a value is kept in a map or variable: integers take 8 bytes.
TypePtr storage_type(const TypePtr &t) {
  if (t->kind == Kind::Integer && t->size != 8)
    return Type::integer(8, t->is_signed);
  if (t->kind == Kind::Tuple) {
    std::vector<TypePtr> elements;
    for (const auto &f : t->fields)
      elements.push_back(storage_type(f.type));
    return Type::tuple(std::move(elements));
  }
  return t;
}

bool is_integer(const TypePtr &t) { return t && t->is_integer_like(); }

std::vector<std::string> map_names(const TypedProgram &out) {
  std::vector<std::string> names;
  for (const auto &[name, _] : out.maps)
    names.push_back(name);
  return names;
}

} // namespace

TypePtr unify(const TypePtr &a, const TypePtr &b) {
  if (a->kind == Kind::Integer && b->kind == Kind::Integer)
    return Type::integer(8, a->is_signed);
  if (a->kind != b->kind)
    return nullptr;
  switch (a->kind) {
  case Kind::String:
    return a->size >= b->size ? a : b;
  case Kind::Tuple:
  case Kind::Record: {
    if (a->fields.size() != b->fields.size())
      return nullptr;
    std::vector<std::string> names;
    std::vector<TypePtr> elements;
    for (size_t i = 0; i < a->fields.size(); i++) {
      if (a->fields[i].name != b->fields[i].name)
        return nullptr;
      auto u = unify(a->fields[i].type, b->fields[i].type);
      if (!u)
        return nullptr;
      names.push_back(a->fields[i].name);
      elements.push_back(u);
    }
    return a->kind == Kind::Tuple ? Type::tuple(std::move(elements))
                                  : Type::record(std::move(names), std::move(elements));
  }
  default:
    return *a == *b ? a : nullptr;
  }
}

void TypeChecker::error(const ast::Location &loc, const std::string &message,
                        const std::string &hint) {
  if (final_pass_)
    diags_.error(loc, message, hint);
}

void TypeChecker::warning(const ast::Location &loc, const std::string &message) {
  if (final_pass_)
    diags_.warning(loc, message);
}

size_t TypeChecker::map_type_count() const {
  size_t n = 0;
  for (const auto &[_, m] : out_.maps)
    n += (m.key ? 1 : 0) + (m.value ? 1 : 0);
  return n;
}

TypePtr TypeChecker::check(ast::Expr &expr) {
  expr.accept(*this);
  if (!expr.type)
    expr.type = Type::none();
  return expr.type;
}

bool TypeChecker::user_probe() const {
  return probe_kind().address_space == AddressSpace::User;
}

void TypeChecker::check_probe(ProbeInfo &info, const ProbeInstance &instance, bool final_pass) {
  probe_ = &info;
  instance_ = &instance;
  final_pass_ = final_pass;
  scopes_.assign(1, {});
  loop_depth_ = 0;
  if (info.probe->predicate)
    check_condition(*info.probe->predicate);
  info.probe->body.accept(*this);
  // Declared and never used: zero, as an int64.
  for (auto &[placeholder, decl] : untyped_lets_)
    decl->type = Type::integer(8, true);
  untyped_lets_.clear();
}

void TypeChecker::check_condition(ast::Expr &cond) {
  auto t = check(cond);
  if (!is_integer(t) && t->kind != Kind::Pointer && t->kind != Kind::None)
    error(cond.loc, "Invalid condition: expected an integer or bool, got '" +
                        t->display_name() + "'");
}

// ------------------------------------------------------------- variables

TypePtr TypeChecker::lookup_variable(const std::string &name) {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto found = it->find(name);
    if (found != it->end())
      return found->second;
  }
  return nullptr;
}

// A variable keeps the integer width it was first given, so that
// `$x = (uint8)255; $x++` wraps as in C.
TypePtr TypeChecker::var_type(const TypePtr &type) {
  return type->kind == Kind::Integer ? type : storage_type(type);
}

void TypeChecker::define_variable(const std::string &name, TypePtr type,
                                  const ast::Location &loc) {
  scopes_.back()[name] = var_type(type);
}

void TypeChecker::settle_untyped(const std::string &name, const TypePtr &type) {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto found = it->find(name);
    if (found == it->end())
      continue;
    auto untyped = std::find_if(untyped_lets_.begin(), untyped_lets_.end(),
                                [&](const auto &entry) { return entry.first == found->second; });
    if (untyped != untyped_lets_.end()) {
      found->second = var_type(type);
      untyped->second->type = found->second;
      untyped_lets_.erase(untyped);
    }
    return;
  }
}

void TypeChecker::assign_variable(ast::Variable &var, TypePtr type, const ast::Location &loc) {
  if (type->kind == Kind::None) {
    error(loc, "Cannot assign a value of type 'none' to $" + var.name);
    return;
  }
  settle_untyped(var.name, type);
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto found = it->find(var.name);
    if (found == it->end())
      continue;
    auto u = found->second->kind == Kind::Integer && type->kind == Kind::Integer
                 ? found->second
                 : unify(found->second, storage_type(type));
    if (!u) {
      error(loc, "Type mismatch for $" + var.name + ": trying to assign value of type '" +
                     type->display_name() + "' when variable already contains a value of type '" +
                     found->second->display_name() + "'");
      return;
    }
    found->second = u;
    var.type = u;
    return;
  }
  // Assigned without `let`, a variable belongs to the whole probe, as it did
  // before bpftrace scoped variables by block: scripts written then set one
  // in an if/else and use it after. `let` declares one in its block.
  scopes_.front()[var.name] = var_type(type);
  var.type = lookup_variable(var.name);
}

void TypeChecker::visit(ast::Variable &node) {
  settle_untyped(node.name, Type::integer(8, true));
  node.type = lookup_variable(node.name);
  if (!node.type) {
    std::vector<std::string> names;
    for (const auto &scope : scopes_)
      for (const auto &[n, _] : scope)
        names.push_back(n);
    std::string near = closest_name(node.name, names);
    error(node.loc, "Undefined or undeclared variable: $" + node.name,
          near.empty() ? "" : "did you mean '$" + near + "'?");
    node.type = Type::integer(8, true);
  }
}

// ------------------------------------------------------------------ maps

MapSymbol *TypeChecker::find_map(const std::string &name) {
  auto it = out_.maps.find(name);
  return it == out_.maps.end() ? nullptr : &it->second;
}

static std::string map_display(const ast::MapRef &m) { return "@" + m.name; }

TypePtr TypeChecker::map_key_type(ast::MapRef &map) {
  std::vector<TypePtr> keys;
  for (auto &k : map.keys) {
    auto t = check(*k);
    if (t->is_aggregation() || t->kind == Kind::None) {
      error(k->loc, "Invalid map key of type '" + t->display_name() + "'");
      t = Type::integer(8, true);
    }
    keys.push_back(storage_type(t));
  }
  if (keys.empty())
    return Type::none();
  if (keys.size() == 1)
    return keys[0];
  return Type::tuple(std::move(keys));
}

// Resolves the key of a map access against the map's key type, creating the
// map on first use.
static void use_map_key(TypeChecker &tc, TypedProgram &out, ast::MapRef &map,
                        const TypePtr &key) {
  auto &sym = out.maps[map_display(map)];
  if (sym.name.empty()) {
    sym.name = map_display(map);
    sym.first_use = map.loc;
  }
  if (!sym.key) {
    sym.key = key;
    return;
  }
  auto u = unify(sym.key, key);
  if (!u) {
    auto describe = [](const TypePtr &t) {
      if (t->kind == Kind::None)
        return std::string("[]");
      return "[" + t->display_name() + "]";
    };
    tc.error(map.loc, "Argument mismatch for " + sym.name + ": trying to access with arguments: " +
                          describe(key) + " when map expects arguments: " + describe(sym.key));
    return;
  }
  sym.key = u;
}

void TypeChecker::assign_map_value(ast::MapRef &map, TypePtr value, const ast::Location &loc) {
  use_map_key(*this, out_, map, map_key_type(map));
  auto &sym = out_.maps[map_display(map)];
  if (value->kind == Kind::None) {
    error(loc, "Cannot assign a value of type 'none' to " + sym.name);
    return;
  }
  value = storage_type(value);
  if (!sym.value) {
    sym.value = value;
  } else {
    auto u = unify(sym.value, value);
    if (!u) {
      error(loc, "Type mismatch for " + sym.name + ": trying to assign value of type '" +
                     value->display_name() + "' when map already contains a value of type '" +
                     sym.value->display_name() + "'");
      return;
    }
    sym.value = u;
  }
  map.type = sym.value;
}

// The type of reading a map's value: aggregations read as integers.
static TypePtr read_type(const TypePtr &value) {
  switch (value->kind) {
  case Kind::Count:
    return Type::integer(8, false);
  case Kind::Sum:
  case Kind::Min:
  case Kind::Max:
  case Kind::Avg:
    return Type::integer(8, true);
  default:
    return value;
  }
}

void TypeChecker::undefined_map(const ast::MapRef &map) {
  if (!final_pass_)
    return;
  std::vector<std::string> names;
  for (const auto &n : map_names(out_))
    if (find_map(n)->value)
      names.push_back(n);
  std::string near = closest_name(map_display(map), names);
  error(map.loc, "Undefined map: " + map_display(map),
        near.empty() ? "" : "did you mean '" + near + "'?");
}

void TypeChecker::visit(ast::MapRef &node) {
  use_map_key(*this, out_, node, map_key_type(node));
  auto *sym = find_map(map_display(node));
  if (!sym->value) {
    undefined_map(node);
    node.type = Type::integer(8, true);
    return;
  }
  if (sym->value->kind == Kind::Stats || sym->value->kind == Kind::Hist ||
      sym->value->kind == Kind::LHist) {
    error(node.loc, "The value of " + sym->name + " (" + sym->value->display_name() +
                        ") can only be printed, not read");
  }
  node.type = read_type(sym->value);
}

ast::MapRef *TypeChecker::expect_map(ast::Expr &arg, const std::string &function) {
  auto *map = dynamic_cast<ast::MapRef *>(&arg);
  if (!map)
    error(arg.loc, function + "() expects a map argument");
  return map;
}

// --------------------------------------------------------------- literals

void TypeChecker::visit(ast::IntegerLiteral &node) {
  node.type = Type::integer(8, node.value <= static_cast<uint64_t>(INT64_MAX));
}

void TypeChecker::visit(ast::StringLiteral &node) {
  node.type = Type::string(node.value.size() + 1);
}

void TypeChecker::visit(ast::BoolLiteral &node) { node.type = Type::boolean(); }

void TypeChecker::visit(ast::PositionalParam &node) {
  if (node.is_count) {
    node.type = Type::integer(8, true);
    return;
  }
  const auto &params = options_.params;
  const std::string value =
      node.index >= 1 && static_cast<size_t>(node.index) <= params.size() ? params[node.index - 1]
                                                                          : "";
  // A parameter is an integer when it reads as one, else a string; a missing
  // one is 0 (and str() of it the empty string).
  char *end = nullptr;
  std::strtoll(value.c_str(), &end, 0);
  if (*end == '\0')
    node.type = Type::integer(8, true);
  else
    node.type = Type::string(value.size() + 1);
}

void TypeChecker::visit(ast::Identifier &node) {
  node.type = builtin_variable_type(*this, node);
  if (node.type)
    return;
  if (auto value = out_.types.constant(node.name)) {
    node.constant = value;
    node.type = Type::integer(8, true);
    return;
  }
  std::string near = closest_name(node.name, builtin_variable_names());
  error(node.loc, "Unknown identifier: '" + node.name + "'",
        near.empty() ? "" : "did you mean '" + near + "'?");
  node.type = Type::integer(8, true);
}

void TypeChecker::visit(ast::TypeExpr &node) { node.type = resolve_type_name(node.type_name); }

TypePtr TypeChecker::resolve_type_name(const ast::TypeName &name) {
  TypePtr base;
  auto it = kIntegerTypes.find(name.base);
  if (it != kIntegerTypes.end())
    base = Type::integer(it->second.first, it->second.second);
  else if (name.base == "bool")
    base = Type::boolean();
  else if (name.base == "string")
    base = Type::string(config().max_strlen);
  else if (auto c_type = out_.types.find(name.base))
    base = c_type;
  else {
    bool tagged = name.base.rfind("struct ", 0) == 0 || name.base.rfind("union ", 0) == 0 ||
                  name.base.rfind("enum ", 0) == 0;
    error(name.loc, "Unknown type: '" + name.base + "'",
          tagged ? "neither the script's C definitions nor the kernel's BTF define it" : "");
    return Type::integer(8, true);
  }
  for (int i = 0; i < name.pointer_depth; i++)
    base = Type::pointer(base);
  if (name.array_length)
    base = Type::array(base, *name.array_length);
  return base;
}

// -------------------------------------------------------------- operators

void TypeChecker::visit(ast::Call &node) {
  const FunctionRule *rule = find_function(node.name);
  if (!rule) {
    std::string near = closest_name(node.name, function_names());
    ast::Location name_loc = node.loc;
    name_loc.end_line = name_loc.begin_line;
    name_loc.end_col = name_loc.begin_col + static_cast<int>(node.name.size());
    error(name_loc, "Unknown function: '" + node.name + "'",
          near.empty() ? "" : "did you mean '" + near + "'?");
    for (auto &a : node.args)
      check(*a);
    node.type = Type::none();
    return;
  }
  bool assigning = assigning_map_value_;
  assigning_map_value_ = false;
  node.type = (*rule)(*this, node, assigning);
}

void TypeChecker::visit(ast::Unary &node) {
  auto t = check(*node.operand);
  switch (node.op) {
  case ast::UnaryOp::Not:
    if (!is_integer(t) && t->kind != Kind::Pointer)
      error(node.loc, "The ! operator expects an integer or bool, got '" + t->display_name() +
                          "'");
    node.type = Type::boolean();
    return;
  case ast::UnaryOp::Neg:
  case ast::UnaryOp::BitNot:
    if (!is_integer(t))
      error(node.loc, "The operator expects an integer, got '" + t->display_name() + "'");
    node.type = node.op == ast::UnaryOp::Neg ? Type::integer(8, true)
                                             : Type::integer(8, t->is_signed);
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
    } else if (!is_integer(t)) {
      error(node.loc, "++ and -- need an integer, got '" + t->display_name() + "'");
    }
    node.type = Type::integer(8, t->is_signed);
    return;
  }
  case ast::UnaryOp::Deref:
    if (t->kind != Kind::Pointer) {
      error(node.loc, "Cannot dereference a value of type '" + t->display_name() + "'");
      node.type = Type::integer(8, true);
    } else {
      node.type = c_value_type(t->element);
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
  if (l->kind == Kind::String || r->kind == Kind::String) {
    if ((node.op != Op::Eq && node.op != Op::Ne) || l->kind != r->kind)
      error(node.loc, "Invalid operands for a string operation: '" + l->display_name() +
                          "' and '" + r->display_name() + "'; strings support == and !=");
    node.type = Type::boolean();
    return;
  }
  bool pointer_arithmetic = (l->kind == Kind::Pointer && is_integer(r)) ||
                            (r->kind == Kind::Pointer && is_integer(l));
  if (!(is_integer(l) || l->kind == Kind::Pointer) || !(is_integer(r) || r->kind == Kind::Pointer)) {
    error(node.loc, "Invalid operands: '" + l->display_name() + "' and '" + r->display_name() +
                        "'");
    node.type = Type::integer(8, true);
    return;
  }
  if (comparison) {
    node.type = Type::boolean();
    return;
  }
  if (pointer_arithmetic && (node.op == Op::Add || node.op == Op::Sub)) {
    node.type = l->kind == Kind::Pointer ? l : r;
    return;
  }
  bool is_signed = (l->kind == Kind::Integer ? l->is_signed : true) &&
                   (r->kind == Kind::Integer ? r->is_signed : true);
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
  return out_.types.resolve(type);
}

void TypeChecker::visit(ast::FieldAccess &node) {
  auto t = check(*node.base);
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
      node.type = text ? Type::string(config().max_strlen) : c_value_type(f.type);
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
    auto *lit = dynamic_cast<ast::IntegerLiteral *>(node.index.get());
    if (!lit || lit->value >= t->fields.size()) {
      error(node.index->loc, "A tuple index must be a constant within the tuple");
      node.type = Type::integer(8, true);
      return;
    }
    node.type = t->fields[lit->value].type;
    return;
  }
  if (t->kind != Kind::Array && t->kind != Kind::Pointer && t->kind != Kind::String) {
    error(node.loc, "Cannot index a value of type '" + t->display_name() + "'");
    node.type = Type::integer(8, true);
    return;
  }
  node.type = t->kind == Kind::String ? Type::integer(1, true) : c_value_type(t->element);
}

void TypeChecker::visit(ast::Cast &node) {
  auto from = check(*node.operand);
  auto to = resolve_type_name(node.target);
  if (to->kind == Kind::Array) {
    if (!is_integer(from) && from->kind != Kind::Array)
      error(node.loc, "Cannot cast '" + from->display_name() + "' to an array");
    else if (is_integer(from) && to->size != 8 && to->size != from->size)
      error(node.loc, "Cannot cast '" + from->display_name() + "' to '" + to->display_name() +
                          "': sizes differ");
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

void TypeChecker::visit(ast::TupleExpr &node) {
  std::vector<TypePtr> elements;
  for (auto &e : node.elements) {
    auto t = check(*e);
    if (t->kind == Kind::None || t->is_aggregation())
      error(e->loc, "Invalid tuple element of type '" + t->display_name() + "'");
    elements.push_back(storage_type(t));
  }
  node.type = Type::tuple(std::move(elements));
}

void TypeChecker::visit(ast::RecordExpr &node) {
  std::vector<TypePtr> types;
  for (auto &e : node.values)
    types.push_back(storage_type(check(*e)));
  node.type = Type::record(node.names, std::move(types));
}

// -------------------------------------------------------------- statements

void TypeChecker::visit(ast::Block &node) {
  scopes_.emplace_back();
  for (auto &s : node.stmts)
    s->accept(*this);
  scopes_.pop_back();
}

void TypeChecker::visit(ast::BlockExpr &node) {
  scopes_.emplace_back();
  for (auto &s : node.block.stmts)
    s->accept(*this);
  node.type = node.value ? check(*node.value) : Type::none();
  scopes_.pop_back();
}

void TypeChecker::visit(ast::ExprStmt &node) { check(*node.expr); }

void TypeChecker::visit(ast::Assign &node) {
  auto *map = dynamic_cast<ast::MapRef *>(node.target.get());
  auto *var = dynamic_cast<ast::Variable *>(node.target.get());
  if (!map && !var) {
    error(node.target->loc, "Only maps and variables can be assigned to");
    check(*node.value);
    return;
  }
  if (node.compound) {
    auto current = check(*node.target);
    auto value = check(*node.value);
    if (!is_integer(current) || !is_integer(value))
      error(node.loc, "Compound assignment needs integers, got '" + current->display_name() +
                          "' and '" + value->display_name() + "'");
    if (map && !find_map("@" + map->name)->value)
      assign_map_value(*map, Type::integer(8, true), node.loc);
    return;
  }
  if (map) {
    assigning_map_value_ = true;
    auto value = check(*node.value);
    assigning_map_value_ = false;
    assign_map_value(*map, value, node.loc);
    return;
  }
  auto value = check(*node.value);
  // An aggregation call has said so itself.
  if (value->is_aggregation() && !dynamic_cast<ast::Call *>(node.value.get()))
    error(node.value->loc, "Aggregations can only be assigned to maps");
  else
    assign_variable(*var, value, node.loc);
}

void TypeChecker::visit(ast::VarDecl &node) {
  TypePtr type;
  if (node.declared_type)
    type = resolve_type_name(*node.declared_type);
  if (node.init) {
    auto value = check(*node.init);
    if (!type)
      type = value;
    else if (!unify(storage_type(type), storage_type(value)))
      error(node.loc, "Type mismatch for $" + node.name + ": declared as '" +
                          type->display_name() + "' but assigned '" + value->display_name() +
                          "'");
  }
  if (!type) {
    auto placeholder = std::make_shared<Type>(*Type::none());
    untyped_lets_.emplace_back(placeholder, &node);
    scopes_.back()[node.name] = placeholder;
    return;
  }
  define_variable(node.name, type, node.loc);
  node.type = lookup_variable(node.name);
}

void TypeChecker::visit(ast::If &node) {
  check_condition(*node.cond);
  node.then_block.accept(*this);
  if (node.else_block)
    node.else_block->accept(*this);
}

void TypeChecker::visit(ast::While &node) {
  check_condition(*node.cond);
  loop_depth_++;
  node.body.accept(*this);
  loop_depth_--;
}

void TypeChecker::visit(ast::Unroll &node) {
  check(*node.count);
  auto *lit = dynamic_cast<ast::IntegerLiteral *>(node.count.get());
  if (!lit)
    error(node.count->loc, "unroll() needs a constant count");
  else if (lit->value < 1 || lit->value > 100)
    error(node.count->loc, "unroll() count must be between 1 and 100");
  node.body.accept(*this);
}

void TypeChecker::visit(ast::ForMap &node) {
  auto *sym = find_map("@" + node.map->name);
  if (!sym || !sym->value || !sym->key) {
    error(node.map->loc, "Undefined map: @" + node.map->name);
    scopes_.emplace_back();
    define_variable(node.var, Type::tuple({Type::integer(8, true), Type::integer(8, true)}),
                    node.loc);
  } else {
    if (!node.map->keys.empty())
      error(node.map->loc, "for loops iterate over a whole map: drop the key");
    if (sym->key->kind == Kind::None)
      error(node.map->loc, "Cannot iterate over a scalar map");
    node.map->type = sym->value;
    scopes_.emplace_back();
    scopes_.back()[node.var] = Type::tuple({sym->key, read_type(sym->value)});
  }
  loop_depth_++;
  node.body.accept(*this);
  loop_depth_--;
  scopes_.pop_back();
}

void TypeChecker::visit(ast::ForRange &node) {
  for (auto *bound : {node.start.get(), node.end.get()})
    if (!is_integer(check(*bound)))
      error(bound->loc, "A range bound must be an integer");
  scopes_.emplace_back();
  scopes_.back()[node.var] = Type::integer(8, true);
  loop_depth_++;
  node.body.accept(*this);
  loop_depth_--;
  scopes_.pop_back();
}

void TypeChecker::visit(ast::Jump &node) {
  if (node.value)
    check(*node.value);
  if (node.kind != ast::JumpKind::Return && loop_depth_ == 0)
    error(node.loc, std::string(node.kind == ast::JumpKind::Break ? "break" : "continue") +
                        " used outside of a loop");
}

} // namespace sonde::sema
