// Maps: keys, values and their unification, map reads and assignments.
#include "sema/type_checker.h"

#include "sema/integers.h"
#include "sema/suggest.h"

#include <algorithm>

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

std::vector<std::string> map_names(const TypedProgram &out) {
  std::vector<std::string> names;
  for (const auto &[name, _] : out.maps)
    names.push_back(name);
  return names;
}

} // namespace

TypePtr storage_type(const TypePtr &t) {
  // An enum stays one, so that its values print by name.
  if (t->kind == Kind::Integer && t->size != 8)
    return types::resized_integer(t, 8);
  if (t->kind == Kind::Tuple || t->kind == Kind::Record) {
    std::vector<std::string> names;
    std::vector<TypePtr> elements;
    for (const auto &f : t->fields) {
      names.push_back(f.name);
      elements.push_back(storage_type(f.type));
    }
    return t->kind == Kind::Tuple ? Type::tuple(std::move(elements))
                                  : Type::record(std::move(names), std::move(elements));
  }
  return t;
}

TypePtr unify(const TypePtr &a, const TypePtr &b) {
  if (a->kind == Kind::Integer && b->kind == Kind::Integer) {
    if (a->name == b->name && !a->enumerators.empty())
      return types::resized_integer(a, 8);
    // A literal takes the other's sign; of different signs, int64.
    auto merged = std::make_shared<Type>(*Type::integer(8, a->sign_flexible ? b->is_signed
                                                           : b->sign_flexible
                                                               ? a->is_signed
                                                               : a->is_signed || b->is_signed));
    merged->sign_flexible = a->sign_flexible && b->sign_flexible;
    return merged;
  }
  if (a->kind != b->kind)
    return nullptr;
  switch (a->kind) {
  case Kind::String:
    return a->size >= b->size ? a : b;
  case Kind::Buffer:
    return a->size >= b->size ? a : b;
  case Kind::Tuple:
  case Kind::Record: {
    if (a->fields.size() != b->fields.size())
      return nullptr;
    std::vector<std::string> names;
    std::vector<TypePtr> elements;
    for (const auto &field : a->fields) {
      // Records match by name: the first one's order is kept.
      auto other = std::find_if(b->fields.begin(), b->fields.end(),
                                [&](const types::Field &f) { return f.name == field.name; });
      if (other == b->fields.end())
        return nullptr;
      auto u = unify(field.type, other->type);
      if (!u)
        return nullptr;
      names.push_back(field.name);
      elements.push_back(u);
    }
    return a->kind == Kind::Tuple ? Type::tuple(std::move(elements))
                                  : Type::record(std::move(names), std::move(elements));
  }
  case Kind::Pointer: {
    // `int *` of the debug info and a script's `int32 *` point to the same.
    const Type &x = *a->element, &y = *b->element;
    bool same_integers = x.kind == Kind::Integer && y.kind == Kind::Integer &&
                         x.size == y.size && x.is_signed == y.is_signed &&
                         x.enumerators.empty() && y.enumerators.empty();
    return *a == *b || same_integers ? a : nullptr;
  }
  default:
    return *a == *b ? a : nullptr;
  }
}

size_t TypeChecker::map_type_count() const {
  size_t n = 0;
  for (const auto &[_, m] : out_.maps)
    n += (m.key ? 1 : 0) + (m.value ? 1 : 0);
  return n;
}

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

// A key that the map's key type may change, as bpftrace 0.26 warns about
// it (map types are settled by the last pass, the one that reports).
static void warn_changed_keys(TypeChecker &tc, const ast::MapRef &map, const TypePtr &key_type) {
  for (size_t i = 0; i < map.keys.size(); i++) {
    const TypePtr &own = map.keys[i]->type;
    TypePtr stored = map.keys.size() == 1 ? key_type
                     : key_type->kind == Kind::Tuple && i < key_type->fields.size()
                         ? key_type->fields[i].type
                         : nullptr;
    if (own && stored && own->kind == Kind::Integer && stored->kind == Kind::Integer &&
        may_change_value(*own, *stored))
      tc.warning(map.keys[i]->loc, implicit_cast_warning(*own, *stored));
  }
}

// Resolves the key of a map access against the map's key type, creating the
// map on first use.
static void use_map_key(TypeChecker &tc, TypedProgram &out, ast::MapRef &map, const TypePtr &key) {
  auto &sym = out.maps[map_display(map)];
  if (sym.name.empty()) {
    sym.name = map_display(map);
    sym.first_use = map.loc;
  }
  if (!sym.key) {
    sym.key = key;
    warn_changed_keys(tc, map, sym.key);
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
  warn_changed_keys(tc, map, sym.key);
}

void TypeChecker::assign_map_value(ast::MapRef &map, TypePtr value, const ast::Location &loc,
                                   const ast::Expr *value_expr) {
  use_map_key(*this, out_, map, map_key_type(map));
  auto &sym = out_.maps[map_display(map)];
  if (value->kind == Kind::None) {
    error(loc, "Cannot assign a value of type 'none' to " + sym.name);
    return;
  }
  auto assigned = value;
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
  // Map types are settled by the last pass: a value the final type may change.
  if (assigned->kind == Kind::Integer && sym.value->kind == Kind::Integer &&
      may_change_value(*assigned, *sym.value))
    warning(value_expr ? value_expr->loc : loc, implicit_cast_warning(*assigned, *sym.value));
  map.type = sym.value;
}

TypePtr read_type(const TypePtr &value) {
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
      sym->value->kind == Kind::LHist || sym->value->kind == Kind::TSeries) {
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

} // namespace sonde::sema
