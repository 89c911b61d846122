#include "codegen/helpers.h"

namespace sonde::codegen {

llvm::Value *HelperCalls::emit(Helper id, llvm::Type *result,
                               std::initializer_list<llvm::Value *> args) {
  std::vector<llvm::Type *> types;
  std::vector<llvm::Value *> values;
  for (auto *a : args) {
    // Helpers take 64-bit registers: widen narrower integers.
    if (a->getType()->isIntegerTy() && a->getType()->getIntegerBitWidth() < 64)
      a = b_.CreateZExt(a, b_.getInt64Ty());
    types.push_back(a->getType());
    values.push_back(a);
  }
  auto *fn_type = llvm::FunctionType::get(result, types, false);
  auto *callee = llvm::ConstantExpr::getIntToPtr(b_.getInt64(static_cast<int>(id)),
                                                 llvm::PointerType::get(b_.getContext(), 0));
  return b_.CreateCall(fn_type, callee, values);
}

llvm::Value *HelperCalls::call(Helper id, std::initializer_list<llvm::Value *> args) {
  return emit(id, b_.getInt64Ty(), args);
}

llvm::Value *HelperCalls::call_ptr(Helper id, std::initializer_list<llvm::Value *> args) {
  return emit(id, llvm::PointerType::get(b_.getContext(), 0), args);
}

} // namespace sonde::codegen
