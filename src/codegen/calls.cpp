// Lowering of builtin function calls. Aggregations (count, hist, …) are
// lowered by the map assignment that holds them (maps.cpp).
#include "codegen/program_codegen.h"

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

const std::map<std::string, EventKind> kFormatEvents = {{"printf", EventKind::Printf},
                                                        {"cat", EventKind::Cat},
                                                        {"system", EventKind::System},
                                                        {"warnf", EventKind::Warnf},
                                                        {"errorf", EventKind::Errorf}};

const std::map<std::string, EventKind> kMapEvents = {
    {"clear", EventKind::Clear}, {"zero", EventKind::Zero}, {"print", EventKind::PrintMap}};

int64_t literal_int(const ast::Expr &e) {
  if (auto *lit = dynamic_cast<const ast::IntegerLiteral *>(&e))
    return static_cast<int64_t>(lit->value);
  if (auto *neg = dynamic_cast<const ast::Unary *>(&e))
    return -literal_int(*neg->operand);
  return 0;
}

} // namespace

void ProgramCodegen::visit(ast::Call &node) {
  const std::string &name = node.name;
  result_ = {b_.getInt64(0), node.type};
  if (lower_symbol_call(node) || lower_conversion_call(node))
    return;

  if (auto fmt = kFormatEvents.find(name); fmt != kFormatEvents.end()) {
    std::vector<CgValue> args;
    std::vector<TypePtr> arg_types;
    for (size_t i = 1; i < node.args.size(); i++) {
      args.push_back(gen(*node.args[i]));
      arg_types.push_back(args.back().type);
    }
    EventInfo info;
    info.kind = fmt->second;
    info.format = static_cast<ast::StringLiteral &>(*node.args[0]).value;
    info.filename = script_.source_name;
    info.line = static_cast<uint64_t>(node.loc.begin_line);
    info.column = static_cast<uint64_t>(node.loc.begin_col);
    info.args = layout_args(arg_types, info.size);
    emit_event(add_event(std::move(info)), args);
    return;
  }

  auto *map_arg = node.args.empty() ? nullptr : dynamic_cast<ast::MapRef *>(node.args[0].get());
  if (auto ev = kMapEvents.find(name); ev != kMapEvents.end() && map_arg && map_arg->keys.empty()) {
    EventInfo info;
    info.kind = ev->second;
    info.size = 8;
    auto it = script_.program.maps.find("@" + map_arg->name);
    info.map_index = static_cast<size_t>(std::distance(script_.program.maps.begin(), it));
    if (node.args.size() > 1)
      info.top = literal_int(*node.args[1]);
    if (node.args.size() > 2)
      info.div = literal_int(*node.args[2]);
    emit_event(add_event(std::move(info)), {});
    return;
  }

  if (name == "print") {
    auto v = gen(*node.args[0]);
    EventInfo info;
    info.kind = EventKind::Print;
    info.args = layout_args({v.type}, info.size);
    emit_event(add_event(std::move(info)), {v});
    return;
  }
  if (name == "time") {
    EventInfo info;
    info.kind = EventKind::Time;
    info.format =
        node.args.empty() ? "%H:%M:%S\n" : static_cast<ast::StringLiteral &>(*node.args[0]).value;
    info.size = 8;
    emit_event(add_event(std::move(info)), {});
    return;
  }
  if (name == "exit") {
    CgValue code{b_.getInt64(0), Type::integer(8, true)};
    if (!node.args.empty())
      code = gen(*node.args[0]);
    EventInfo info;
    info.kind = EventKind::Exit;
    info.args = layout_args({Type::integer(8, true)}, info.size);
    emit_event(add_event(std::move(info)), {code});
    // Nothing after exit() runs.
    return_zero();
    b_.SetInsertPoint(new_block("after_exit"));
    return;
  }
  if (name == "str") {
    auto v = gen(*node.args[0]);
    uint64_t size = node.type->size;
    // A string longer than max_strlen is read one byte further, past the
    // value's end: its bytes then hold no NUL and it prints with a `..`.
    bool mark_truncation = node.args.size() == 1;
    auto *dst = slot(size + (mark_truncation ? 8 : 0));
    zero(dst, size);
    if (v.type->kind == Kind::String) {
      copy(dst, v.value, std::min(size - 1, v.type->size));
    } else {
      llvm::Value *limit = b_.getInt64(mark_truncation ? size + 1 : size);
      if (node.args.size() == 2 && !dynamic_cast<ast::IntegerLiteral *>(node.args[1].get())) {
        // A run-time length: read at most that many bytes, within the buffer.
        auto *n = b_.CreateAdd(to_i64(gen(*node.args[1])), b_.getInt64(1));
        auto *fits = b_.CreateICmpULT(n, b_.getInt64(size));
        limit = b_.CreateSelect(fits, n, b_.getInt64(size));
      }
      bool user = user_address(*v.type);
      auto *read = h_.call(user ? Helper::ProbeReadUserStr : Helper::ProbeReadKernelStr,
                           {dst, limit, to_i64(v)});
      check_helper(user ? "probe_read_user_str" : "probe_read_kernel_str", read);
    }
    result_ = {dst, node.type};
    return;
  }
  if (name == "delete") {
    auto &map = *map_arg;
    llvm::Value *key;
    if (node.args.size() == 2) {
      // delete(@m, k): key k, laid out as the map's key.
      const auto &sym = map_symbol(map);
      auto v = gen(*node.args[1]);
      key = to_memory(v, *sym.key);
    } else {
      key = build_key(map);
    }
    check_helper("map_delete_elem", h_.map_delete(map_global(map), key));
    return;
  }
  if (name == "has_key") {
    const auto &sym = map_symbol(*map_arg);
    auto *key = to_memory(gen(*node.args[1]), *sym.key);
    auto *found = h_.map_lookup(map_global(*map_arg), key);
    result_ = {b_.CreateZExt(b_.CreateIsNotNull(found), b_.getInt64Ty()), node.type};
    return;
  }
  if (name == "len") {
    result_ = map_length(*map_arg);
    return;
  }
  if (name == "strcontains") {
    auto haystack = gen(*node.args[0]);
    auto needle = gen(*node.args[1]);
    // A literal needle is only as long as its text: fewer steps to verify.
    uint64_t needle_size = needle.type->size;
    if (auto *lit = dynamic_cast<ast::StringLiteral *>(node.args[1].get()))
      needle_size = lit->value.size() + 1;
    result_ = {string_contains(haystack, needle, needle_size), node.type};
    return;
  }
  if (name == "strncmp") {
    auto a = gen(*node.args[0]);
    auto b = gen(*node.args[1]);
    uint64_t n = std::min<uint64_t>(
        {static_cast<uint64_t>(literal_int(*node.args[2])), a.type->size, b.type->size});
    // 0 when the first n bytes match (up to a shared NUL), else 1.
    auto *equal = prefix_equal(a.value, b.value, n, nullptr);
    result_ = {b_.CreateXor(equal, b_.getInt64(1)), node.type};
    return;
  }
  throw std::runtime_error(name + "() is not supported by the code generator yet");
}

} // namespace sonde::codegen
