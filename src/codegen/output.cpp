// Lowering of printf, warnf, errorf, cat, system, print, time and exit: each
// call site is an event (events.cpp) the runtime formats.
#include "codegen/lowerings.h"

namespace sonde::codegen {

using types::Type;
using types::TypePtr;

void ProgramCodegen::register_output_lowerings(LoweringTable &table) {
  // A format string, then the values it converts.
  auto format_event = [](EventKind kind) -> CallLowering {
    return [kind](ProgramCodegen &cg, ast::Call &node) {
      std::vector<CgValue> args;
      std::vector<TypePtr> arg_types;
      for (size_t i = 1; i < node.args.size(); i++) {
        args.push_back(cg.gen(*node.args[i]));
        arg_types.push_back(args.back().type);
      }
      EventInfo info;
      info.kind = kind;
      info.format = static_cast<ast::StringLiteral &>(*node.args[0]).value;
      info.filename = cg.script_.source_name;
      info.line = static_cast<uint64_t>(node.loc.begin_line);
      info.column = static_cast<uint64_t>(node.loc.begin_col);
      if (node.loc.end_line == node.loc.begin_line)
        info.end_column = static_cast<uint64_t>(node.loc.end_col);
      info.args = cg.layout_args(arg_types, info.size);
      cg.emit_event(cg.add_event(std::move(info)), args);
      return cg.no_value(node);
    };
  };
  table.functions["printf"] = format_event(EventKind::Printf);
  table.functions["warnf"] = format_event(EventKind::Warnf);
  table.functions["errorf"] = format_event(EventKind::Errorf);
  table.functions["cat"] = format_event(EventKind::Cat);
  table.functions["system"] = format_event(EventKind::System);

  table.functions["print"] = [](ProgramCodegen &cg, ast::Call &node) {
    if (auto *map = dynamic_cast<ast::MapRef *>(node.args[0].get()); map && map->keys.empty()) {
      cg.emit_map_event(EventKind::PrintMap, node);
      return cg.no_value(node);
    }
    auto v = cg.gen(*node.args[0]);
    EventInfo info;
    info.kind = EventKind::Print;
    info.args = cg.layout_args({v.type}, info.size);
    cg.emit_event(cg.add_event(std::move(info)), {v});
    return cg.no_value(node);
  };

  table.functions["time"] = [](ProgramCodegen &cg, ast::Call &node) {
    EventInfo info;
    info.kind = EventKind::Time;
    info.format =
        node.args.empty() ? "%H:%M:%S\n" : static_cast<ast::StringLiteral &>(*node.args[0]).value;
    info.size = 8;
    cg.emit_event(cg.add_event(std::move(info)), {});
    return cg.no_value(node);
  };

  table.functions["exit"] = [](ProgramCodegen &cg, ast::Call &node) {
    CgValue code{cg.b_.getInt64(0), Type::integer(8, true)};
    if (!node.args.empty())
      code = cg.gen(*node.args[0]);
    EventInfo info;
    info.kind = EventKind::Exit;
    info.args = cg.layout_args({Type::integer(8, true)}, info.size);
    cg.emit_event(cg.add_event(std::move(info)), {code});
    // Nothing after exit() runs.
    cg.return_zero();
    cg.b_.SetInsertPoint(cg.new_block("after_exit"));
    return cg.no_value(node);
  };
}

} // namespace sonde::codegen
