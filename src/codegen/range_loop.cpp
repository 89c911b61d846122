// `for ($i : a..b)` with a bound read at run time: the body runs in a
// bpf_loop callback, which the verifier checks once for any index; a loop it
// followed iteration by iteration would have no known end.
#include "codegen/program_codegen.h"

namespace sonde::codegen {

using types::Type;

void ProgramCodegen::range_loop_callback(ast::ForRange &node) {
  auto *i64 = b_.getInt64Ty();
  // The bounds are read once, before the first iteration.
  auto *start = to_i64(gen(*node.start));
  auto *end = to_i64(gen(*node.end));
  auto *first = scratch_slot(8);
  b_.CreateStore(start, first);
  auto *count =
      b_.CreateSelect(b_.CreateICmpSLT(start, end), b_.CreateSub(end, start), b_.getInt64(0));
  auto *returned = scratch_slot(8);
  b_.CreateStore(b_.getInt64(0), returned);
  auto *callback = script_.module.add_loop_callback(
      fn_->getName().str() + "_range" + std::to_string(callback_count_++), node.loc.begin_line);
  // bpf_loop calls it with (index, block).
  auto *block = lower_in_callback(
      callback, 1, node, {returned, first}, [&](const std::vector<llvm::Value *> &extra) {
        probe_returned_ = extra[0];
        scopes_.emplace_back();
        auto *i = define_variable(node.var, Type::integer(8, true), node);
        b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64, extra[1]), callback->getArg(0)), i);
        node.body.accept(*this);
        scopes_.pop_back();
      });
  h_.call(Helper::Loop, {count, callback, block, b_.getInt64(0)});
  if_then(b_.CreateICmpNE(b_.CreateLoad(i64, returned), b_.getInt64(0)), [&] { return_zero(); });
}

} // namespace sonde::codegen
