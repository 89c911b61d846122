// delete, clear, zero, len, has_key, find: functions over whole maps.
#include "sema/builtins.h"

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

// The map a whole-map function names; it must exist and be given without keys.
MapSymbol *whole_map(TypeChecker &tc, ast::Call &call) {
  auto *map = tc.expect_map(*call.args[0], call.name);
  if (!map)
    return nullptr;
  if (!map->keys.empty())
    tc.error(map->loc, call.name + "() expects a map without a key");
  auto *sym = tc.find_map("@" + map->name);
  if (!sym || !sym->value) {
    tc.undefined_map(*map);
    return nullptr;
  }
  map->type = sym->value;
  return sym;
}

TypePtr check_delete(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 2))
    return Type::boolean();
  auto *map = tc.expect_map(*call.args[0], "delete");
  if (!map)
    return Type::boolean();
  auto *sym = tc.find_map("@" + map->name);
  if (!sym || !sym->value) {
    tc.undefined_map(*map);
    return Type::boolean();
  }
  map->type = sym->value;
  // delete(@m[k]) is the older spelling of delete(@m, k).
  if (call.args.size() == 1) {
    auto key = tc.map_key_type(*map);
    if (sym->key && sym->key->kind != Kind::None && !unify(sym->key, key))
      tc.error(map->loc, "delete(): key type '" + key->display_name() + "' does not match " +
                             sym->name + "'s key type '" + sym->key->display_name() + "'");
    return Type::boolean();
  }
  if (!map->keys.empty())
    tc.error(map->loc, "delete(@m, key) expects a map without a key");
  auto key = tc.check(*call.args[1]);
  if (sym->key &&
      !unify(sym->key, key->kind == Kind::Integer ? Type::integer(8, key->is_signed) : key))
    tc.error(call.args[1]->loc, "delete(): key type '" + key->display_name() + "' does not match " +
                                    sym->name + "'s key type '" + sym->key->display_name() + "'");
  return Type::boolean();
}

TypePtr check_whole_map(TypeChecker &tc, ast::Call &call, bool) {
  if (expect_arg_count(tc, call, 1, 1))
    whole_map(tc, call);
  return Type::none();
}

TypePtr check_len(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 1))
    return Type::integer(8, true);
  // len(kstack), len(ustack): the frames of the current stack.
  if (!dynamic_cast<ast::MapRef *>(call.args[0].get())) {
    auto t = tc.check(*call.args[0]);
    if (t->kind == Kind::KStack || t->kind == Kind::UStack)
      return Type::integer(8, true);
  }
  // A scalar map always holds one element (bpftrace refuses it).
  auto *sym = whole_map(tc, call);
  if (sym && sym->key && sym->key->kind == Kind::None)
    tc.error(call.loc, "call to len() expects a map with explicit keys (non-scalar map)");
  return Type::integer(8, true);
}

TypePtr check_has_key(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 2, 2))
    return Type::boolean();
  auto *sym = whole_map(tc, call);
  auto key = tc.check(*call.args[1]);
  // A map only tested (one filled from a file) takes its key type from here.
  if (sym && !sym->key)
    sym->key = key->kind == Kind::Integer ? Type::integer(8, key->is_signed) : key;
  if (sym && sym->key &&
      !unify(sym->key, key->kind == Kind::Integer ? Type::integer(8, key->is_signed) : key))
    tc.error(call.args[1]->loc, "has_key(): key type '" + key->display_name() +
                                    "' does not match " + sym->name + "'s key type '" +
                                    sym->key->display_name() + "'");
  return Type::boolean();
}

// find(@m, key, $value): has_key, and on a hit the value goes to $value.
TypePtr check_find(TypeChecker &tc, ast::Call &call, bool as_map_value) {
  if (!expect_arg_count(tc, call, 3, 3))
    return Type::boolean();
  auto *var = dynamic_cast<ast::Variable *>(call.args[2].get());
  if (!var) {
    tc.check(*call.args[2]);
    tc.error(call.args[2]->loc, "find() expects a variable to hold the value, as in $value");
  }
  // has_key's checks, of the map and the key only.
  auto value_arg = std::move(call.args.back());
  call.args.pop_back();
  auto found = check_has_key(tc, call, as_map_value);
  call.args.push_back(std::move(value_arg));
  auto *map = dynamic_cast<ast::MapRef *>(call.args[0].get());
  auto *sym = map ? tc.find_map("@" + map->name) : nullptr;
  if (!sym || !sym->value || !var)
    return found;
  if (sym->value->is_aggregation())
    tc.error(call.args[0]->loc, "find() reads plain values; " + sym->name + " holds '" +
                                    sym->value->display_name() + "'");
  else
    tc.assign_variable(*var, sym->value, call.args[2]->loc);
  return found;
}

} // namespace

void register_map_functions(FunctionTable &table) {
  table["delete"] = check_delete;
  table["clear"] = check_whole_map;
  table["zero"] = check_whole_map;
  table["len"] = check_len;
  table["has_key"] = check_has_key;
  table["find"] = check_find;
}

} // namespace sonde::sema
