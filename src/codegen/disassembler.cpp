#include "codegen/disassembler.h"

#include <llvm/MC/MCAsmInfo.h>
#include <llvm/MC/MCContext.h>
#include <llvm/MC/MCDisassembler/MCDisassembler.h>
#include <llvm/MC/MCInst.h>
#include <llvm/MC/MCInstPrinter.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCRegisterInfo.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/MCTargetOptions.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/Format.h>
#include <llvm/Support/raw_ostream.h>

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

extern "C" {
void LLVMInitializeBPFTargetInfo();
void LLVMInitializeBPFTargetMC();
void LLVMInitializeBPFDisassembler();
}

namespace sonde::codegen {

namespace {

constexpr const char *kTriple = "bpfel";

struct Disassembler {
  std::unique_ptr<llvm::MCRegisterInfo> registers;
  std::unique_ptr<llvm::MCAsmInfo> asm_info;
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget;
  std::unique_ptr<llvm::MCInstrInfo> instructions;
  std::unique_ptr<llvm::MCContext> context;
  std::unique_ptr<llvm::MCDisassembler> decoder;
  std::unique_ptr<llvm::MCInstPrinter> printer;
};

Disassembler make_disassembler() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeBPFTargetInfo();
    LLVMInitializeBPFTargetMC();
    LLVMInitializeBPFDisassembler();
  });
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(kTriple, error);
  if (!target)
    throw std::runtime_error("LLVM has no BPF target: " + error);
  Disassembler d;
  llvm::Triple triple(kTriple);
  d.registers.reset(target->createMCRegInfo(kTriple));
  llvm::MCTargetOptions options;
  d.asm_info.reset(target->createMCAsmInfo(*d.registers, kTriple, options));
  d.subtarget.reset(target->createMCSubtargetInfo(kTriple, "v4", ""));
  d.instructions.reset(target->createMCInstrInfo());
  d.context = std::make_unique<llvm::MCContext>(triple, d.asm_info.get(), d.registers.get(),
                                                d.subtarget.get());
  d.decoder.reset(target->createMCDisassembler(*d.subtarget, *d.context));
  d.printer.reset(target->createMCInstPrinter(triple, d.asm_info->getAssemblerDialect(),
                                              *d.asm_info, *d.instructions, *d.registers));
  if (!d.decoder || !d.printer)
    throw std::runtime_error("LLVM's BPF target has no disassembler");
  return d;
}

// Each function symbol's bytes, by name.
std::map<std::string, llvm::ArrayRef<uint8_t>> function_bytes(const llvm::object::ObjectFile &elf) {
  std::map<std::string, llvm::ArrayRef<uint8_t>> functions;
  for (const llvm::object::SymbolRef &symbol : elf.symbols()) {
    auto type = symbol.getType();
    auto name = symbol.getName();
    auto section = symbol.getSection();
    if (!type || !name || !section || *type != llvm::object::SymbolRef::ST_Function) {
      llvm::consumeError(type.takeError());
      llvm::consumeError(name.takeError());
      llvm::consumeError(section.takeError());
      continue;
    }
    auto contents = (*section)->getContents();
    if (!contents) {
      llvm::consumeError(contents.takeError());
      continue;
    }
    auto offset = symbol.getValue();
    if (!offset) {
      llvm::consumeError(offset.takeError());
      continue;
    }
    uint64_t size = llvm::object::ELFSymbolRef(symbol).getSize();
    if (*offset + size <= contents->size())
      functions[name->str()] = llvm::arrayRefFromStringRef<uint8_t>(contents->substr(*offset, size));
  }
  return functions;
}

} // namespace

std::string disassemble(const CompiledScript &script) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(script.elf.data()), script.elf.size());
  auto elf = llvm::object::ObjectFile::createObjectFile(llvm::MemoryBufferRef(bytes, "sonde"));
  if (!elf)
    throw std::runtime_error("cannot read the BPF object: " + llvm::toString(elf.takeError()));
  auto functions = function_bytes(**elf);
  Disassembler d = make_disassembler();
  std::string text;
  llvm::raw_string_ostream out(text);
  for (const ProgramInfo &program : script.programs) {
    out << "; " << (program.targets.empty() ? program.provider : program.targets.front().spec)
        << " (" << program.function_name << ")\n";
    auto found = functions.find(program.function_name);
    if (found == functions.end())
      continue;
    llvm::ArrayRef<uint8_t> code = found->second;
    for (uint64_t at = 0; at < code.size();) {
      llvm::MCInst inst;
      uint64_t size = 0;
      auto status = d.decoder->getInstruction(inst, size, code.slice(at), at, llvm::nulls());
      if (status != llvm::MCDisassembler::Success || size == 0) {
        out << llvm::format_decimal(at / 8, 6) << ": <unknown>\n";
        size = 8;
      } else {
        out << llvm::format_decimal(at / 8, 6) << ":";
        d.printer->printInst(&inst, at, "", *d.subtarget, out);
        out << "\n";
      }
      at += size;
    }
  }
  return text;
}

} // namespace sonde::codegen
