// `for ($kv : @m)` and len(@m), through bpf_for_each_map_elem callbacks.
#include "codegen/program_codegen.h"

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {
constexpr int kForEachMapElem = 164;
} // namespace

void ProgramCodegen::for_each_entry(
    const ast::MapRef &map, std::vector<llvm::Value *> extra,
    const std::function<void(llvm::Value *, llvm::Value *, const std::vector<llvm::Value *> &)>
        &body) {
  auto *ptr = llvm::PointerType::get(b_.getContext(), 0);
  auto *callback = script_.module.add_map_callback(
      fn_->getName().str() + "_each" + std::to_string(callback_count_++), map.loc.begin_line);
  // bpf_for_each_map_elem calls it with (map, key, value, block).
  auto *block = lower_in_callback(callback, 3, map, std::move(extra),
                                  [&](const std::vector<llvm::Value *> &extra_here) {
                                    body(callback->getArg(1), callback->getArg(2), extra_here);
                                  });
  auto *helper_type =
      llvm::FunctionType::get(b_.getInt64Ty(), {ptr, ptr, ptr, b_.getInt64Ty()}, false);
  auto *helper = llvm::ConstantExpr::getIntToPtr(b_.getInt64(kForEachMapElem), ptr);
  b_.CreateCall(helper_type, helper, {map_global(map), callback, block, b_.getInt64(0)});
}

CgValue ProgramCodegen::map_entry_value(llvm::Value *value, const TypePtr &map_value,
                                        const TypePtr &read_type) {
  if (map_value->kind == Kind::Avg) {
    auto *total = b_.CreateLoad(b_.getInt64Ty(), value);
    auto *count = b_.CreateLoad(b_.getInt64Ty(), byte_ptr(value, 8));
    return {binary_integer(ast::BinaryOp::Div, total, count, true), read_type};
  }
  if (map_value->kind == Kind::Min || map_value->kind == Kind::Max)
    return load_from(value, Type::integer(8, true));
  return load_from(value, is_register_value(*map_value) ? map_value : read_type);
}

void ProgramCodegen::visit(ast::ForMap &node) {
  const auto &sym = map_symbol(*node.map);
  auto read_type = node.map->type ? node.map->type : sym.value;
  auto *returned = scratch_slot(8);
  b_.CreateStore(b_.getInt64(0), returned);
  for_each_entry(
      *node.map, {returned},
      [&](llvm::Value *key, llvm::Value *value, const std::vector<llvm::Value *> &extra) {
        probe_returned_ = extra[0];
        // $kv is (key, value), copied out of the map.
        auto tuple = Type::tuple({sym.key, map_entry_value(value, sym.value, read_type).type});
        scopes_.emplace_back();
        auto *kv = define_variable(node.var, tuple, node);
        zero(kv, tuple->size);
        store_to(byte_ptr(kv, tuple->fields[0].offset), load_from(key, sym.key),
                 *tuple->fields[0].type);
        store_to(byte_ptr(kv, tuple->fields[1].offset),
                 map_entry_value(value, sym.value, read_type), *tuple->fields[1].type);
        node.body.accept(*this);
        scopes_.pop_back();
      });
  if_then(b_.CreateICmpNE(b_.CreateLoad(b_.getInt64Ty(), returned), b_.getInt64(0)),
          [&] { return_zero(); });
}

CgValue ProgramCodegen::map_length(const ast::MapRef &map) {
  // The verifier runs the callback until its states repeat. A counter it
  // tracks (on the stack) is exact, and once a branch depends on the result
  // it must stay exact: 0, 1, 2, ... never repeat. In scratch it is unknown.
  auto *counter = scratch_slot(8);
  b_.CreateStore(b_.getInt64(0), counter);
  for_each_entry(
      map, {counter}, [&](llvm::Value *, llvm::Value *, const std::vector<llvm::Value *> &extra) {
        auto *c = extra[0];
        b_.CreateStore(b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), c), b_.getInt64(1)), c);
      });
  return {b_.CreateLoad(b_.getInt64Ty(), counter), Type::integer(8, true)};
}

} // namespace sonde::codegen
