#pragma once

// Errors of the LLVM back end (the BPF stack limit above all), kept with the
// script place of the instruction they are about, instead of LLVM's own
// text on stderr and its exit(1).

#include "ast/location.h"

#include <llvm/IR/DiagnosticHandler.h>
#include <llvm/IR/LLVMContext.h>

#include <string>
#include <vector>

namespace sonde::codegen {

struct BackendError {
  ast::Location loc; // of the instruction; line 1 when LLVM gives none
  std::string message;
};

// Collects the back end's errors for as long as it lives.
class BackendErrors {
public:
  explicit BackendErrors(llvm::LLVMContext &context);
  ~BackendErrors();
  BackendErrors(const BackendErrors &) = delete;
  BackendErrors &operator=(const BackendErrors &) = delete;

  const std::vector<BackendError> &errors() const { return errors_; }

private:
  llvm::LLVMContext &context_;
  std::unique_ptr<llvm::DiagnosticHandler> previous_;
  std::vector<BackendError> errors_;
};

} // namespace sonde::codegen
