#include "codegen/backend_errors.h"

#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/DiagnosticPrinter.h>
#include <llvm/Support/raw_ostream.h>

namespace sonde::codegen {

namespace {

constexpr const char *kStackLimitText = "stack limit is exceeded";

std::string message_of(const llvm::DiagnosticInfo &info) {
  std::string text;
  llvm::raw_string_ostream stream(text);
  llvm::DiagnosticPrinterRawOStream printer(stream);
  info.print(printer);
  if (text.find(kStackLimitText) != std::string::npos)
    return "this probe needs more than the 512 bytes of BPF stack: too many values are live at "
           "once here; keep fewer in variables at a time, or split the probe";
  return "the BPF back end cannot compile this: " + text;
}

class Collector : public llvm::DiagnosticHandler {
public:
  explicit Collector(std::vector<BackendError> &errors) : errors_(errors) {}

  bool handleDiagnostics(const llvm::DiagnosticInfo &info) override {
    if (info.getSeverity() != llvm::DS_Error)
      return false;
    BackendError error;
    error.message = message_of(info);
    if (auto *unsupported = llvm::dyn_cast<llvm::DiagnosticInfoUnsupported>(&info);
        unsupported && unsupported->isLocationAvailable()) {
      error.loc.begin_line = error.loc.end_line =
          static_cast<int>(unsupported->getLocation().getLine());
      error.loc.begin_col = static_cast<int>(unsupported->getLocation().getColumn());
      error.loc.end_col = error.loc.begin_col + 1;
    }
    errors_.push_back(std::move(error));
    return true;
  }

private:
  std::vector<BackendError> &errors_;
};

} // namespace

BackendErrors::BackendErrors(llvm::LLVMContext &context)
    : context_(context), previous_(context.getDiagnosticHandler()) {
  context_.setDiagnosticHandler(std::make_unique<Collector>(errors_));
}

BackendErrors::~BackendErrors() { context_.setDiagnosticHandler(std::move(previous_)); }

} // namespace sonde::codegen
