// Lowering of printf, warnf, errorf, cat, system, print, time, exit, assert
// and fail: each call site is an event (events.cpp) the runtime formats.
#include "codegen/lowerings.h"

namespace sonde::codegen {

using types::Type;
using types::TypePtr;

namespace {

// An assert's message, as a format that prints it verbatim.
std::string assertion_format(const std::string &message) {
  std::string format = "assert failed: ";
  for (char c : message)
    format += c == '%' ? std::string("%%") : std::string(1, c);
  return format;
}

} // namespace

void ProgramCodegen::emit_exit(const CgValue &code) {
  b_.CreateStore(b_.getInt64(1), script_.exited, /*isVolatile=*/true);
  EventInfo info;
  info.kind = EventKind::Exit;
  info.args = layout_args({Type::integer(8, true)}, info.size);
  emit_event(add_event(std::move(info)), {code});
  // Nothing after exit() runs.
  return_zero();
  b_.SetInsertPoint(new_block("after_exit"));
}

// An event of `kind` at the call's place: `format`, then the values of the
// call's arguments from `first_arg` on.
void ProgramCodegen::emit_formatted(EventKind kind, const std::string &format, ast::Call &node,
                                    size_t first_arg) {
  std::vector<CgValue> args;
  std::vector<TypePtr> arg_types;
  for (size_t i = first_arg; i < node.args.size(); i++) {
    args.push_back(gen(*node.args[i]));
    arg_types.push_back(args.back().type);
  }
  EventInfo info;
  info.kind = kind;
  info.format = format;
  locate(info, node.loc, /*with_line=*/false);
  info.expanded_from = expansions();
  info.args = layout_args(arg_types, info.size);
  emit_event(add_event(std::move(info)), args);
}

void ProgramCodegen::register_output_lowerings(LoweringTable &table) {
  // A format string, then the values it converts.
  auto format_event = [](EventKind kind) -> CallLowering {
    return [kind](ProgramCodegen &cg, ast::Call &node) {
      cg.emit_formatted(kind, static_cast<ast::StringLiteral &>(*node.args[0]).value, node, 1);
      return cg.no_value(node);
    };
  };
  table.functions["printf"] = format_event(EventKind::Printf);
  table.functions["warnf"] = format_event(EventKind::Warnf);
  table.functions["errorf"] = format_event(EventKind::Errorf);
  table.functions["cat"] = format_event(EventKind::Cat);
  table.functions["system"] = format_event(EventKind::System);
  table.functions["fail"] = [format_event](ProgramCodegen &cg, ast::Call &node) {
    format_event(EventKind::Errorf)(cg, node);
    cg.emit_exit({cg.b_.getInt64(1), Type::integer(8, true)});
    return cg.no_value(node);
  };
  table.functions["assert"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto holds = cg.to_i64(cg.gen(*node.args[0]));
    cg.if_then(cg.b_.CreateICmpEQ(holds, cg.b_.getInt64(0)), [&] {
      const auto &message = static_cast<ast::StringLiteral &>(*node.args[1]).value;
      cg.emit_formatted(EventKind::Errorf, assertion_format(message), node, node.args.size());
      cg.emit_exit({cg.b_.getInt64(1), Type::integer(8, true)});
    });
    return cg.no_value(node);
  };

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

  table.functions["unwatch"] = [](ProgramCodegen &cg, ast::Call &node) {
    EventInfo info;
    info.kind = EventKind::Unwatch;
    info.args = cg.layout_args({Type::integer(8, false)}, info.size);
    cg.emit_event(cg.add_event(std::move(info)),
                  {CgValue{cg.to_i64(cg.gen(*node.args[0])), Type::integer(8, false)}});
    return cg.no_value(node);
  };

  table.functions["exit"] = [](ProgramCodegen &cg, ast::Call &node) {
    CgValue code{cg.b_.getInt64(0), Type::integer(8, true)};
    if (!node.args.empty())
      code = cg.gen(*node.args[0]);
    cg.emit_exit(code);
    return cg.no_value(node);
  };
}

} // namespace sonde::codegen
