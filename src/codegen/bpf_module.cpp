#include "codegen/bpf_module.h"

#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/IR/DebugInfo.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>

#include <mutex>
#include <stdexcept>

extern "C" {
void LLVMInitializeBPFTargetInfo();
void LLVMInitializeBPFTarget();
void LLVMInitializeBPFTargetMC();
void LLVMInitializeBPFAsmPrinter();
}

namespace sonde::codegen {

namespace {

constexpr const char *kTriple = "bpfel";
// v4 (kernel 6.6+): 32-bit jump offsets, so long probes still link.
constexpr const char *kCpu = "v4";

std::unique_ptr<llvm::TargetMachine> make_target_machine() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeBPFTargetInfo();
    LLVMInitializeBPFTarget();
    LLVMInitializeBPFTargetMC();
    LLVMInitializeBPFAsmPrinter();
    // The default instruction scheduler grows with the square of a basic
    // block's length (8,000 map stores in one probe took 35 s); the BPF
    // machine gains nothing from reordering, so instructions keep the order
    // of the source.
    const char *args[] = {"sonde", "-pre-RA-sched=source"};
    llvm::cl::ParseCommandLineOptions(std::size(args), args);
  });
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(kTriple, error);
  if (!target)
    throw std::runtime_error("LLVM has no BPF target: " + error);
  llvm::TargetOptions options;
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      kTriple, kCpu, "", options, llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Default));
}

std::string ir_text(llvm::Module &m) {
  std::string text;
  llvm::raw_string_ostream out(text);
  m.print(out, nullptr);
  return text;
}

} // namespace

BpfModule::BpfModule(const std::string &source_name, const std::string &source_text,
                     const std::string &license_name)
    : module_(std::make_unique<llvm::Module>("sonde", context_)) {
  module_->setTargetTriple(kTriple);
  module_->setDataLayout("e-m:e-p:64:64-i64:64-i128:128-n32:64-S128");
  module_->addModuleFlag(llvm::Module::Warning, "Debug Info Version", llvm::DEBUG_METADATA_VERSION);
  module_->addModuleFlag(llvm::Module::Warning, "Dwarf Version", 4);
  di_ = std::make_unique<llvm::DIBuilder>(*module_);
  file_ = di_->createFile(source_name, ".", std::nullopt, source_text);
  unit_ = di_->createCompileUnit(llvm::dwarf::DW_LANG_C, file_, "sonde", true, "", 0);

  auto *license_text = llvm::ConstantDataArray::getString(context_, license_name);
  auto *license =
      new llvm::GlobalVariable(*module_, license_text->getType(), true,
                               llvm::GlobalValue::ExternalLinkage, license_text, "_license");
  license->setSection("license");
}

llvm::GlobalVariable *BpfModule::add_map(const std::string &name, BpfMapType type,
                                         uint32_t key_size, uint32_t value_size,
                                         uint32_t max_entries) {
  // libbpf reads `int (*field)[N]` members as the value N.
  auto *int_type = di_->createBasicType("int", 32, llvm::dwarf::DW_ATE_signed);
  std::vector<llvm::Metadata *> members;
  uint64_t offset = 0;
  auto add = [&](const char *field, uint64_t value) {
    auto *range = di_->getOrCreateSubrange(0, static_cast<int64_t>(value));
    auto *array = di_->createArrayType(value * 32, 32, int_type, di_->getOrCreateArray({range}));
    auto *pointer = di_->createPointerType(array, 64);
    members.push_back(di_->createMemberType(unit_, field, file_, 0, 64, 0, offset,
                                            llvm::DINode::FlagZero, pointer));
    offset += 64;
  };
  add("type", static_cast<uint32_t>(type));
  add("max_entries", max_entries);
  if (type != BpfMapType::RingBuf) {
    add("key_size", key_size);
    add("value_size", value_size);
  }
  auto *struct_type = di_->createStructType(unit_, "", file_, 0, offset, 0, llvm::DINode::FlagZero,
                                            nullptr, di_->getOrCreateArray(members));

  auto *ptr = llvm::PointerType::get(context_, 0);
  std::vector<llvm::Type *> fields(members.size(), ptr);
  auto *ir_type = llvm::StructType::get(context_, fields);
  auto *global =
      new llvm::GlobalVariable(*module_, ir_type, false, llvm::GlobalValue::ExternalLinkage,
                               llvm::ConstantAggregateZero::get(ir_type), name);
  global->setSection(".maps");
  global->setAlignment(llvm::Align(8));
  global->addDebugInfo(
      di_->createGlobalVariableExpression(unit_, name, name, file_, 0, struct_type, false));
  return global;
}

llvm::GlobalVariable *BpfModule::add_rodata_u64(const std::string &name) {
  return add_u64_global(name, ".rodata");
}

llvm::GlobalVariable *BpfModule::add_bss_u64(const std::string &name) {
  return add_u64_global(name, ".bss");
}

llvm::GlobalVariable *BpfModule::add_u64_global(const std::string &name,
                                                const std::string &section) {
  auto *i64 = llvm::Type::getInt64Ty(context_);
  auto *global = new llvm::GlobalVariable(*module_, i64, false, llvm::GlobalValue::ExternalLinkage,
                                          llvm::ConstantInt::get(i64, 0), name);
  global->setSection(section);
  global->setAlignment(llvm::Align(8));
  auto *type = di_->createBasicType("unsigned long long", 64, llvm::dwarf::DW_ATE_unsigned);
  global->addDebugInfo(
      di_->createGlobalVariableExpression(unit_, name, name, file_, 0, type, false));
  return global;
}

llvm::Function *BpfModule::add_program(const std::string &name, const std::string &section,
                                       int line) {
  return add_function(name, section, line, {{"ctx"}}, false);
}

llvm::Function *BpfModule::add_map_callback(const std::string &name, int line) {
  return add_function(name, ".text", line, {{"map"}, {"key"}, {"value"}, {"ctx"}}, true);
}

llvm::Function *BpfModule::add_loop_callback(const std::string &name, int line) {
  return add_function(name, ".text", line, {{"index", true}, {"ctx"}}, true);
}

llvm::Function *BpfModule::add_function(const std::string &name, const std::string &section,
                                        int line, const std::vector<Param> &params,
                                        bool is_static) {
  llvm::Type *ptr = llvm::PointerType::get(context_, 0);
  llvm::Type *u64 = llvm::Type::getInt64Ty(context_);
  std::vector<llvm::Type *> param_types;
  for (const auto &p : params)
    param_types.push_back(p.integer ? u64 : ptr);
  auto *fn_type = llvm::FunctionType::get(llvm::Type::getInt64Ty(context_), param_types, false);
  auto linkage = is_static ? llvm::Function::InternalLinkage : llvm::Function::ExternalLinkage;
  auto *fn = llvm::Function::Create(fn_type, linkage, name, module_.get());
  fn->setSection(section);
  if (is_static)
    fn->addFnAttr(llvm::Attribute::NoInline);

  auto *i64 = di_->createBasicType("long long", 64, llvm::dwarf::DW_ATE_signed);
  llvm::DIType *di_u64 =
      di_->createBasicType("unsigned long long", 64, llvm::dwarf::DW_ATE_unsigned);
  llvm::DIType *void_ptr = di_->createPointerType(nullptr, 64);
  std::vector<llvm::Metadata *> signature{i64};
  for (const auto &p : params)
    signature.push_back(p.integer ? di_u64 : void_ptr);
  auto *sp_type = di_->createSubroutineType(di_->getOrCreateTypeArray(signature));
  auto sp_flags = llvm::DISubprogram::SPFlagDefinition;
  if (is_static)
    sp_flags |= llvm::DISubprogram::SPFlagLocalToUnit;
  auto *sp = di_->createFunction(file_, name, name, file_, line, sp_type, line,
                                 llvm::DINode::FlagPrototyped, sp_flags);
  // The kernel wants a name for every argument of a BTF function.
  for (size_t i = 0; i < params.size(); i++) {
    fn->getArg(static_cast<unsigned>(i))->setName(params[i].name);
    di_->createParameterVariable(sp, params[i].name, static_cast<unsigned>(i + 1), file_, line,
                                 params[i].integer ? di_u64 : void_ptr, true);
  }
  fn->setSubprogram(sp);
  di_->finalizeSubprogram(sp);
  return fn;
}

llvm::Function *BpfModule::add_kfunc(const std::string &name, llvm::FunctionType *type,
                                     const std::vector<llvm::Metadata *> &signature,
                                     const std::vector<std::string> &param_names) {
  if (auto *existing = module_->getFunction(name))
    return existing;
  auto *fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module_.get());
  fn->setSection(".ksyms");
  auto *sp_type = di_->createSubroutineType(di_->getOrCreateTypeArray(signature));
  // A declaration: the BPF backend writes an extern BTF function for it.
  auto *sp = di_->createFunction(file_, name, name, file_, 0, sp_type, 0,
                                 llvm::DINode::FlagPrototyped, llvm::DISubprogram::SPFlagZero);
  for (size_t i = 0; i < param_names.size(); i++)
    fn->getArg(static_cast<unsigned>(i))->setName(param_names[i]);
  fn->setSubprogram(sp);
  return fn;
}

// libbpf compares the pointee by kind: a struct (not a forward declaration).
llvm::DIType *BpfModule::task_pointer_type() {
  auto *task = di_->createStructType(file_, "task_struct", file_, 0, 0, 0, llvm::DINode::FlagZero,
                                     nullptr, di_->getOrCreateArray({}));
  return di_->createPointerType(task, 64);
}

llvm::Function *BpfModule::task_from_pid_kfunc() {
  llvm::Type *ptr = llvm::PointerType::get(context_, 0);
  auto *type = llvm::FunctionType::get(ptr, {llvm::Type::getInt32Ty(context_)}, false);
  auto *s32 = di_->createBasicType("int", 32, llvm::dwarf::DW_ATE_signed);
  return add_kfunc("bpf_task_from_pid", type, {task_pointer_type(), s32}, {"pid"});
}

llvm::Function *BpfModule::task_release_kfunc() {
  llvm::Type *ptr = llvm::PointerType::get(context_, 0);
  auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(context_), {ptr}, false);
  return add_kfunc("bpf_task_release", type, {nullptr, task_pointer_type()}, {"p"});
}

llvm::DILocation *BpfModule::location(llvm::Function *fn, int line, int col,
                                      const Source *imported) {
  llvm::DIScope *scope = fn->getSubprogram();
  if (imported) {
    llvm::DIFile *&file = imported_files_[imported->name];
    if (!file)
      file = di_->createFile(imported->name, ".", std::nullopt, imported->text);
    scope = di_->createLexicalBlockFile(fn->getSubprogram(), file);
  }
  return llvm::DILocation::get(context_, line, col, scope);
}

void BpfModule::optimise(std::string *ir_before, std::string *ir_after) {
  if (!finalized_) {
    di_->finalize();
    finalized_ = true;
  }
  if (ir_before)
    *ir_before = ir_text(*module_);
  std::string errors;
  llvm::raw_string_ostream err_stream(errors);
  if (llvm::verifyModule(*module_, &err_stream))
    throw std::runtime_error("internal error: invalid IR: " + errors);

  auto machine = make_target_machine();
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder builder(machine.get());
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(*module_, mam);
  if (ir_after)
    *ir_after = ir_text(*module_);
}

// LLVM's BTF writer re-adds the name of every map to its string table, by a
// linear search, at the start of every function: a script of thousands of
// probes and maps took minutes. Past this many programs, those that call no
// function of their own (a loop or map-iteration callback, which the kernel
// only accepts with BTF) are emitted without debug information, so they cost
// the BTF writer nothing; their verifier logs then quote no script line.
constexpr size_t kProgramsWithLineInfo = 100;

void BpfModule::drop_line_info_of_plain_programs() {
  std::vector<llvm::Function *> programs;
  for (llvm::Function &fn : *module_)
    if (!fn.isDeclaration() && !fn.hasLocalLinkage())
      programs.push_back(&fn);
  if (programs.size() <= kProgramsWithLineInfo)
    return;
  auto calls_own_function = [](llvm::Function &fn) {
    for (llvm::BasicBlock &block : fn)
      for (llvm::Instruction &inst : block)
        for (llvm::Value *operand : inst.operands())
          if (auto *callee = llvm::dyn_cast<llvm::Function>(operand);
              callee && !callee->isDeclaration())
            return true;
    return false;
  };
  for (llvm::Function *fn : programs)
    if (!calls_own_function(*fn))
      llvm::stripDebugInfo(*fn);
}

std::vector<uint8_t> BpfModule::emit_elf() {
  drop_line_info_of_plain_programs();
  auto machine = make_target_machine();
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream stream(buffer);
  llvm::legacy::PassManager passes;
  if (machine->addPassesToEmitFile(passes, stream, nullptr, llvm::CodeGenFileType::ObjectFile))
    throw std::runtime_error("internal error: LLVM cannot emit a BPF object");
  passes.run(*module_);
  return std::vector<uint8_t>(buffer.begin(), buffer.end());
}

} // namespace sonde::codegen
