// Scopes and variables: `let`, assignment, lookup.
#include "sema/type_checker.h"

#include <algorithm>

#include "sema/integers.h"
#include "sema/suggest.h"

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

TypeChecker::Binding *TypeChecker::find_binding(const std::string &name) {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto found = it->find(name);
    if (found != it->end())
      return &found->second;
  }
  return nullptr;
}

TypePtr TypeChecker::lookup_variable(const std::string &name) {
  auto *binding = find_binding(name);
  return binding ? binding->type : nullptr;
}

void TypeChecker::bind(const std::string &name, TypePtr type, TypePtr *use) {
  auto &binding = scopes_.back()[name];
  binding.type = std::move(type);
  binding.uses.clear();
  if (use)
    binding.uses.push_back(use);
}

void TypeChecker::pop_scope() {
  for (auto &[_, binding] : scopes_.back()) {
    if (binding.type->kind == Kind::None)
      continue;
    for (auto *use : binding.uses)
      *use = binding.type;
    if (binding.type->kind != Kind::Integer)
      continue;
    for (const auto *value : binding.values)
      if (value->type->kind == Kind::Integer && may_change_value(*value->type, *binding.type))
        warning(value->loc, implicit_cast_warning(*value->type, *binding.type));
  }
  scopes_.pop_back();
}

TypePtr TypeChecker::merge_integer(const Binding &binding, const TypePtr &value, bool arithmetic,
                                   const ast::Expr *value_expr) {
  const auto &current = binding.type;
  if (binding.declared)
    return current;
  // A literal widens the variable as far as it needs: `$a = 1; $a = 1000`
  // makes an int16.
  if (value->sign_flexible) {
    if (auto *literal = dynamic_cast<const ast::IntegerLiteral *>(value_expr))
      return widened_for_literal(current, literal->value);
    return value->size > current->size ? types::resized_integer(current, value->size) : current;
  }
  // Only literals so far: the variable takes the value's sign.
  if (current->sign_flexible)
    return types::resized_integer(value, std::max(current->size, value->size));
  // Of one sign, a variable widens to a wider value (`$x = pid; $x = cgroup`)
  // but keeps its width for an operator's result: `$x = (uint8)255;
  // $x = $x + 1` wraps as in C.
  if (current->is_signed == value->is_signed)
    return arithmetic || current->size >= value->size ? current : value;
  return promote_integers(current, value);
}

// A variable keeps the integer width it was first given, so that
// `$x = (uint8)255; $x++` wraps as in C.
TypePtr TypeChecker::var_type(const TypePtr &type) {
  return type->kind == Kind::Integer ? type : storage_type(type);
}

void TypeChecker::widen_counter(const ast::Variable &var) {
  auto *binding = find_binding(var.name);
  if (binding && !binding->declared && binding->type->kind == Kind::Integer &&
      binding->type->sign_flexible)
    binding->type = types::resized_integer(binding->type, 8);
}

void TypeChecker::define_variable(const std::string &name, TypePtr type, const ast::Location &loc) {
  bind(name, var_type(type));
}

void TypeChecker::settle_untyped(const std::string &name, const TypePtr &type) {
  auto *binding = find_binding(name);
  if (!binding)
    return;
  auto untyped = std::find_if(untyped_lets_.begin(), untyped_lets_.end(),
                              [&](const auto &entry) { return entry.first == binding->type; });
  if (untyped != untyped_lets_.end()) {
    binding->type = var_type(type);
    untyped->second->type = binding->type;
    untyped_lets_.erase(untyped);
  }
}

void TypeChecker::assign_variable(ast::Variable &var, TypePtr type, const ast::Location &loc,
                                  ast::Expr *value) {
  if (type->kind == Kind::None) {
    error(loc, "Cannot assign a value of type 'none' to $" + var.name);
    return;
  }
  settle_untyped(var.name, type);
  // An operator's result is 64-bit in sonde, not as wide as its operands as
  // in bpftrace: it neither widens a variable nor is warned about.
  bool arithmetic = dynamic_cast<ast::Binary *>(value) || dynamic_cast<ast::Unary *>(value);
  if (auto *binding = find_binding(var.name)) {
    if (binding->declared && value && binding->type->kind == Kind::Integer)
      convert_to_declared(*value, *binding->type);
    auto u = binding->type->kind == Kind::Integer && type->kind == Kind::Integer
                 ? merge_integer(*binding, type, arithmetic, value)
                 : unify(binding->type, storage_type(type));
    if (!u) {
      error(loc, "Type mismatch for $" + var.name + ": trying to assign value of type '" +
                     type->display_name() + "' when variable already contains a value of type '" +
                     binding->type->display_name() + "'");
      return;
    }
    binding->type = u;
    binding->uses.push_back(&var.type);
    if (value && !binding->declared && !arithmetic)
      binding->values.push_back(value);
    var.type = u;
    return;
  }
  // Assigned without `let`, a variable belongs to the whole probe, as it did
  // before bpftrace scoped variables by block: scripts written then set one
  // in an if/else and use it after. `let` declares one in its block.
  auto &binding = scopes_.front()[var.name];
  binding = {var_type(type), {&var.type}};
  binding.hoisted = scopes_.size() > 2; // the probe scope, then its body's
  if (value && !arithmetic)
    binding.values.push_back(value);
  var.type = binding.type;
}

void TypeChecker::visit(ast::Variable &node) {
  settle_untyped(node.name, Type::integer(8, true));
  auto *binding = find_binding(node.name);
  if (binding) {
    node.type = binding->type;
    binding->uses.push_back(&node.type);
  } else {
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

void TypeChecker::visit(ast::Assign &node) {
  auto *map = dynamic_cast<ast::MapRef *>(node.target.get());
  auto *var = dynamic_cast<ast::Variable *>(node.target.get());
  if (!map && !var) {
    if (dynamic_cast<ast::TupleIndex *>(node.target.get()))
      error(node.loc, "Tuples are immutable once created. Consider creating a new tuple and "
                      "assigning it instead.");
    else
      error(node.target->loc, "Only maps and variables can be assigned to");
    check(*node.value);
    return;
  }
  if (node.compound) {
    if (var)
      widen_counter(*var);
    auto current = check(*node.target);
    auto value = check(*node.value);
    bool pointer_step =
        var && current->kind == Kind::Pointer && is_integer(value) &&
        (*node.compound == ast::BinaryOp::Add || *node.compound == ast::BinaryOp::Sub);
    if (pointer_step)
      return;
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
    assign_map_value(*map, value, node.loc, node.value.get());
    return;
  }
  auto value = check(*node.value);
  // An aggregation call has said so itself.
  if (value->is_aggregation() && !dynamic_cast<ast::Call *>(node.value.get()))
    error(node.value->loc, "Aggregations can only be assigned to maps");
  else
    assign_variable(*var, value, node.loc, node.value.get());
}

namespace {

// A declared pointer type (or array of pointers) points where the value
// assigned to it does: `let $x: struct Foo *[2] = args.bar->foos;` in a
// uprobe holds user pointers.
TypePtr in_address_space_of(const TypePtr &declared, const TypePtr &value) {
  bool pointers = declared->kind == Kind::Pointer && value->kind == Kind::Pointer;
  bool pointer_arrays = declared->kind == Kind::Array && value->kind == Kind::Array &&
                        declared->element->kind == Kind::Pointer &&
                        value->element->kind == Kind::Pointer;
  if (pointers && declared->user_space != value->user_space) {
    auto copy = std::make_shared<Type>(*declared);
    copy->user_space = value->user_space;
    return copy;
  }
  if (pointer_arrays && declared->element->user_space != value->element->user_space) {
    auto copy = std::make_shared<Type>(*declared);
    copy->element = in_address_space_of(declared->element, value->element);
    return copy;
  }
  return declared;
}

} // namespace

void TypeChecker::visit(ast::VarDecl &node) {
  if (auto *existing = find_binding(node.name); existing && !existing->hoisted)
    error(node.loc, "Variable $" + node.name +
                        " is already declared: a variable is declared once, before its "
                        "first use, and not shadowed in an inner block");
  TypePtr type;
  if (node.declared_type)
    type = resolve_type_name(*node.declared_type);
  if (node.init) {
    auto value = check(*node.init);
    if (!type)
      type = value;
    else if (!unify(storage_type(type), storage_type(value)))
      error(node.loc, "Type mismatch for $" + node.name + ": declared as '" + type->display_name() +
                          "' but assigned '" + value->display_name() + "'");
    else if (type->kind == Kind::Integer)
      convert_to_declared(*node.init, *type);
    else
      type = in_address_space_of(type, value);
  }
  if (!type) {
    auto placeholder = std::make_shared<Type>(*Type::none());
    untyped_lets_.emplace_back(placeholder, &node);
    bind(node.name, placeholder, &node.type);
    return;
  }
  bind(node.name, var_type(type), &node.type);
  find_binding(node.name)->declared = node.declared_type.has_value();
  node.type = lookup_variable(node.name);
}

// A value assigned to a variable declared with an integer type: a constant
// must be in range (`let $a: uint16 = -1` needs `(uint16)-1`), another value
// that may change is warned about.
void TypeChecker::convert_to_declared(ast::Expr &value, const Type &to) {
  if (value.type->kind != Kind::Integer || dynamic_cast<ast::Cast *>(&value))
    return;
  if (auto constant = constant_value(value)) {
    if (!fits_integer(*constant, to))
      error(value.loc,
            "The value " + std::to_string(*constant) + " does not fit in '" + to.display_name() +
                "'",
            "cast it explicitly: (" + to.display_name() + ")" + std::to_string(*constant));
    return;
  }
  if (may_change_value(*value.type, to))
    warning(value.loc, implicit_cast_warning(*value.type, to));
}

} // namespace sonde::sema
