// Calls of functions that imported `.bpf.c` files define (sema's
// TypedProgram::c_functions): declared here, defined once bpf_c_imports.cpp
// links the compiled files into the module.

#include "codegen/program_codegen.h"

namespace sonde::codegen {

using types::Kind;

namespace {

llvm::Type *c_type(llvm::LLVMContext &context, const types::Type &type) {
  if (type.kind == Kind::Pointer)
    return llvm::PointerType::get(context, 0);
  if (type.kind == Kind::None)
    return llvm::Type::getVoidTy(context);
  return llvm::IntegerType::get(context, static_cast<unsigned>(type.size * 8));
}

} // namespace

CgValue ProgramCodegen::c_function_call(ast::Call &node, const sema::CFunction &function) {
  llvm::LLVMContext &context = script_.module.context();
  std::vector<llvm::Type *> params;
  for (const auto &param : function.params)
    params.push_back(c_type(context, *param));
  auto *type = llvm::FunctionType::get(c_type(context, *function.result), params, false);
  llvm::FunctionCallee callee = script_.module.module().getOrInsertFunction(node.name, type);

  std::vector<llvm::Value *> args;
  for (size_t i = 0; i < node.args.size(); i++) {
    llvm::Value *value = gen(*node.args[i]).value;
    args.push_back(params[i]->isPointerTy() ? b_.CreateIntToPtr(value, params[i])
                                            : b_.CreateTrunc(value, params[i]));
  }
  set_location(node);
  llvm::Value *result = b_.CreateCall(callee, args);
  const types::Type &result_type = *function.result;
  if (result_type.kind == Kind::None)
    return no_value(node);
  if (result_type.kind == Kind::Pointer)
    return {b_.CreatePtrToInt(result, b_.getInt64Ty()), node.type};
  return {result_type.is_signed ? b_.CreateSExt(result, b_.getInt64Ty())
                                : b_.CreateZExt(result, b_.getInt64Ty()),
          node.type};
}

} // namespace sonde::codegen
