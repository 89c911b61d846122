#pragma once

// Internal to codegen: the LLVM module of one script, its BTF-described maps,
// the debug info that gives the verifier source lines, and ELF emission.

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "common/diagnostics.h"
#include "types/type.h"

#include <cstdint>
#include <map>
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
  // A u64 global the programs write, zero at load (in `.bss`).
  llvm::GlobalVariable *add_bss_u64(const std::string &name);

  // A new program function `i64 name(ptr ctx)` in `section`, with a debug
  // subprogram so that instructions can carry script lines.
  llvm::Function *add_program(const std::string &name, const std::string &section, int line);
  // A static subprogram `i64 name(ptr map, ptr key, ptr value, ptr ctx)` for
  // bpf_for_each_map_elem.
  llvm::Function *add_map_callback(const std::string &name, int line);
  // A static subprogram `i64 name(i64 index, ptr ctx)` for bpf_loop.
  llvm::Function *add_loop_callback(const std::string &name, int line);

  // `imported`: the file the line is in when it is not the script (an
  // imported one), so that verifier logs quote that file.
  llvm::DILocation *location(llvm::Function *fn, int line, int col,
                             const Source *imported = nullptr);

  // CO-RE (core_access.cpp): the address of `field` of the kernel struct
  // `record` at `base` (a pointer, or the result of a previous access for a
  // chain through embedded structs), as a relocation libbpf resolves against
  // the running kernel's BTF. The struct is described in the object's BTF by
  // its name and the fields the script reads.
  // A kernel global variable as a typed ksym: an extern in `.ksyms` that
  // libbpf resolves against the kernel's BTF by name and type kind (the
  // per-CPU variables of percpu_kaddr()).
  llvm::GlobalVariable *kernel_variable(const std::string &name, const types::Type &type);
  llvm::Value *core_field_address(llvm::IRBuilder<> &b, llvm::Value *base,
                                  const types::Type &record, const types::Field &field);

  // The kernel's task kfuncs (Linux 6.1), declared on first use in `.ksyms`
  // with the BTF libbpf matches against the kernel's:
  //   struct task_struct *bpf_task_from_pid(s32 pid);
  //   void bpf_task_release(struct task_struct *p);
  llvm::Function *task_from_pid_kfunc();
  llvm::Function *task_release_kfunc();

  // Optimises the module and returns its IR text before/after if asked.
  void optimise(std::string *ir_before, std::string *ir_after);
  std::vector<uint8_t> emit_elf();

private:
  void drop_line_info_of_plain_programs();
  llvm::GlobalVariable *add_u64_global(const std::string &name, const std::string &section);
  struct Param {
    std::string name;
    bool integer = false; // a u64, else a pointer
  };
  llvm::Function *add_function(const std::string &name, const std::string &section, int line,
                               const std::vector<Param> &params, bool is_static);

  // A struct as the relocations describe it: only the fields read, each at
  // its index in `members`.
  struct CoreStruct {
    llvm::DICompositeType *type = nullptr;
    std::vector<llvm::Metadata *> members;
    std::map<std::string, unsigned> index;
  };
  CoreStruct &core_struct(const types::Type &record);
  llvm::DIType *core_member_type(const types::Type &type);
  // An extern kernel function of `.ksyms`, described by `signature` (the
  // return type first; null for void).
  llvm::Function *add_kfunc(const std::string &name, llvm::FunctionType *type,
                            const std::vector<llvm::Metadata *> &signature,
                            const std::vector<std::string> &param_names);
  llvm::DIType *task_pointer_type();

  llvm::LLVMContext context_;
  std::unique_ptr<llvm::Module> module_;
  std::unique_ptr<llvm::DIBuilder> di_;
  llvm::DICompileUnit *unit_ = nullptr;
  llvm::DIFile *file_ = nullptr;
  std::map<std::string, llvm::DIFile *> imported_files_; // by name
  bool finalized_ = false;
  std::map<std::string, CoreStruct> core_structs_; // by C name: "struct task_struct"
};

} // namespace sonde::codegen
