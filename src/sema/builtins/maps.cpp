// delete, clear, zero, len, has_key: functions over whole maps.
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
    return Type::none();
  auto *map = tc.expect_map(*call.args[0], "delete");
  if (!map)
    return Type::none();
  auto *sym = tc.find_map("@" + map->name);
  if (!sym || !sym->value) {
    tc.undefined_map(*map);
    return Type::none();
  }
  map->type = sym->value;
  // delete(@m[k]) is the older spelling of delete(@m, k).
  if (call.args.size() == 1) {
    auto key = tc.map_key_type(*map);
    if (sym->key && sym->key->kind != Kind::None && !unify(sym->key, key))
      tc.error(map->loc, "delete(): key type '" + key->display_name() + "' does not match " +
                             sym->name + "'s key type '" + sym->key->display_name() + "'");
    return Type::none();
  }
  if (!map->keys.empty())
    tc.error(map->loc, "delete(@m, key) expects a map without a key");
  auto key = tc.check(*call.args[1]);
  if (sym->key &&
      !unify(sym->key, key->kind == Kind::Integer ? Type::integer(8, key->is_signed) : key))
    tc.error(call.args[1]->loc, "delete(): key type '" + key->display_name() + "' does not match " +
                                    sym->name + "'s key type '" + sym->key->display_name() + "'");
  return Type::none();
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
  whole_map(tc, call);
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

} // namespace

void register_map_functions(FunctionTable &table) {
  table["delete"] = check_delete;
  table["clear"] = check_whole_map;
  table["zero"] = check_whole_map;
  table["len"] = check_len;
  table["has_key"] = check_has_key;
}

} // namespace sonde::sema
