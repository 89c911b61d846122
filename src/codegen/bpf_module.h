#pragma once

// Internal to codegen: the LLVM module of one script, its BTF-described maps,
// the debug info that gives the verifier source lines, and ELF emission.

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sonde::codegen {

// Values of `enum bpf_map_type` used by sonde.
enum class BpfMapType : uint32_t {
  Hash = 1,
  Array = 2,
  PercpuHash = 5,
  PercpuArray = 6,
  LruHash = 9,
  LruPercpuHash = 10,
  RingBuf = 27,
};

class BpfModule {
public:
  // The script text is embedded so verifier logs can quote its lines; the
  // license is the one the kernel checks helpers against (config `license`).
  BpfModule(const std::string &source_name, const std::string &source_text,
            const std::string &license);

  llvm::LLVMContext &context() { return context_; }
  llvm::Module &module() { return *module_; }

  // Declares a map global in `.maps`, described in BTF the way libbpf reads it.
  llvm::GlobalVariable *add_map(const std::string &name, BpfMapType type, uint32_t key_size,
                                uint32_t value_size, uint32_t max_entries);

  // A uint64 in `.rodata` that the loader sets before load (read it volatile:
  // its value is not known when the module is optimised).
  llvm::GlobalVariable *add_rodata_u64(const std::string &name);

  // A new program function `i64 name(ptr ctx)` in `section`, with a debug
  // subprogram so that instructions can carry script lines.
  llvm::Function *add_program(const std::string &name, const std::string &section, int line);
  // A static subprogram `i64 name(ptr map, ptr key, ptr value, ptr ctx)` for
  // bpf_for_each_map_elem.
  llvm::Function *add_map_callback(const std::string &name, int line);
  // A static subprogram `i64 name(i64 index, ptr ctx)` for bpf_loop.
  llvm::Function *add_loop_callback(const std::string &name, int line);

  llvm::DILocation *location(llvm::Function *fn, int line, int col);

  // Optimises the module and returns its IR text before/after if asked.
  void optimise(std::string *ir_before, std::string *ir_after);
  std::vector<uint8_t> emit_elf();

private:
  struct Param {
    std::string name;
    bool integer = false; // a u64, else a pointer
  };
  llvm::Function *add_function(const std::string &name, const std::string &section, int line,
                               const std::vector<Param> &params, bool is_static);

  llvm::LLVMContext context_;
  std::unique_ptr<llvm::Module> module_;
  std::unique_ptr<llvm::DIBuilder> di_;
  llvm::DICompileUnit *unit_ = nullptr;
  llvm::DIFile *file_ = nullptr;
  bool finalized_ = false;
};

} // namespace sonde::codegen
