// Lowering of delete, clear, zero, len, has_key and find: functions of a map.
#include "codegen/lowerings.h"

namespace sonde::codegen {

namespace {

// `dw_ustack` or `dw_ustack(...)`: len() counts its frames as it unwinds them.
bool names_dwarf_stack(const ast::Expr &expr) {
  if (const auto *call = dynamic_cast<const ast::Call *>(&expr))
    return call->name == "dw_ustack";
  const auto *identifier = dynamic_cast<const ast::Identifier *>(&expr);
  return identifier && identifier->name == "dw_ustack";
}

} // namespace

void ProgramCodegen::emit_map_event(EventKind kind, ast::Call &node) {
  const auto &map = static_cast<ast::MapRef &>(*node.args[0]);
  EventInfo info;
  info.kind = kind;
  info.size = 8;
  auto it = script_.program.maps.find("@" + map.name);
  info.map_index = static_cast<size_t>(std::distance(script_.program.maps.begin(), it));
  if (node.args.size() > 1)
    info.top = literal_int(*node.args[1]);
  if (node.args.size() > 2)
    info.div = literal_int(*node.args[2]);
  info.print_args = node.args.size() - 1;
  emit_event(add_event(std::move(info)), {});
}

void ProgramCodegen::register_map_lowerings(LoweringTable &table) {
  table.functions["delete"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto &map = static_cast<ast::MapRef &>(*node.args[0]);
    llvm::Value *key;
    if (node.args.size() == 2) {
      // delete(@m, k): key k, laid out as the map's key.
      const auto &sym = cg.map_symbol(map);
      auto v = cg.gen(*node.args[1]);
      key = cg.to_memory(v, *sym.key);
    } else {
      key = cg.build_key(map);
    }
    auto *result = cg.h_.map_delete(cg.map_global(map), key);
    cg.check_helper("map_delete_elem", result);
    // Whether the key was there to delete.
    return CgValue{
        cg.b_.CreateZExt(cg.b_.CreateICmpEQ(result, cg.b_.getInt64(0)), cg.b_.getInt64Ty()),
        node.type};
  };
  table.functions["clear"] = [](ProgramCodegen &cg, ast::Call &node) {
    cg.emit_map_event(EventKind::Clear, node);
    return cg.no_value(node);
  };
  table.functions["zero"] = [](ProgramCodegen &cg, ast::Call &node) {
    cg.emit_map_event(EventKind::Zero, node);
    return cg.no_value(node);
  };
  table.functions["len"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto kind = node.args[0]->type->kind;
    if (names_dwarf_stack(*node.args[0]))
      return cg.dwarf_stack_depth(node.args[0]->type->count);
    if (kind == types::Kind::KStack || kind == types::Kind::UStack)
      return cg.stack_depth(kind == types::Kind::UStack, node.args[0]->type->count);
    return cg.map_length(static_cast<ast::MapRef &>(*node.args[0]));
  };
  table.functions["has_key"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto &map = static_cast<ast::MapRef &>(*node.args[0]);
    const auto &sym = cg.map_symbol(map);
    auto *key = cg.to_memory(cg.gen(*node.args[1]), *sym.key);
    auto *found = cg.h_.map_lookup(cg.map_global(map), key);
    return CgValue{cg.b_.CreateZExt(cg.b_.CreateIsNotNull(found), cg.b_.getInt64Ty()), node.type};
  };
  table.functions["find"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto &map = static_cast<ast::MapRef &>(*node.args[0]);
    const auto &sym = cg.map_symbol(map);
    auto *key = cg.to_memory(cg.gen(*node.args[1]), *sym.key);
    auto *found = cg.h_.map_lookup(cg.map_global(map), key);
    auto &var = static_cast<ast::Variable &>(*node.args[2]);
    auto *slot = cg.variable_slot(var.name);
    if (!slot)
      slot = cg.define_variable(var.name, var.type, var, /*whole_probe=*/true);
    cg.if_then(cg.b_.CreateIsNotNull(found),
               [&] { cg.store_to(slot, cg.load_from(found, sym.value), *var.type); });
    return CgValue{cg.b_.CreateZExt(cg.b_.CreateIsNotNull(found), cg.b_.getInt64Ty()), node.type};
  };
}

} // namespace sonde::codegen
