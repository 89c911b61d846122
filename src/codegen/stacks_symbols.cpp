// Lowering of kstack, ustack, ksym, usym, kaddr, uaddr, reg, kptr, uptr.
#include "codegen/lowerings.h"
#include "common/bpf_c_abi.h"
#include "common/registers.h"
#include "types/btf_types.h"

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

constexpr uint64_t kStackTraceMap = 7;
constexpr uint64_t kUserStackFlag = 1 << 8; // BPF_F_USER_STACK
constexpr int kGetStackId = 27;
constexpr uint64_t kRawTracepointFrames = 3; // BPF_F_SKIP_FIELD_MASK frames to skip

} // namespace

llvm::GlobalVariable *ProgramCodegen::stack_map(bool user) {
  auto &global = user ? script_.user_stacks : script_.kernel_stacks;
  if (!global) {
    std::string name = user ? "ustacks" : "kstacks";
    global = script_.module.add_map(name, static_cast<BpfMapType>(kStackTraceMap), 4,
                                    kMaxStackFrames * 8, script_.program.config.max_map_keys);
    (user ? script_.out.user_stack_map_elf_name : script_.out.kernel_stack_map_elf_name) = name;
  }
  return global;
}

CgValue ProgramCodegen::stack_value(const TypePtr &type) {
  bool user = type->kind == Kind::UStack;
  auto *ptr = llvm::PointerType::get(b_.getContext(), 0);
  auto *fn_type = llvm::FunctionType::get(b_.getInt64Ty(), {ptr, ptr, b_.getInt64Ty()}, false);
  auto *helper = llvm::ConstantExpr::getIntToPtr(b_.getInt64(kGetStackId), ptr);
  // In raw tracepoint programs the first kernel frames are BPF's own
  // trampolines: skip them, so stacks start in the traced code.
  bool raw = as_raw_tracepoint_ || probe_.kind->context == ProbeContext::RawArguments;
  uint64_t flags = user ? kUserStackFlag : (raw ? kRawTracepointFrames : 0);
  auto *stack_id = b_.CreateCall(fn_type, helper, {ctx_, stack_map(user), b_.getInt64(flags)});
  // The value tells the runtime which map holds the stack (CompiledScript::
  // stack_map_elf_names order): map index << 32 | stack id.
  llvm::Value *id = b_.CreateOr(b_.getInt64(uint64_t{user ? 1u : 0u} << 32),
                                b_.CreateAnd(stack_id, b_.getInt64(0xffffffff)));
  return user ? user_stack_value(id, type) : CgValue{id, type};
}

// User stacks are resolved in the address space of the process they came
// from: { map index << 32 | stack id, pid }.
CgValue ProgramCodegen::user_stack_value(llvm::Value *id, const TypePtr &type) {
  auto *value = slot(16);
  b_.CreateStore(id, value);
  b_.CreateStore(current_process(), byte_ptr(value, 8));
  return {value, type};
}

llvm::Value *ProgramCodegen::unwind_dwarf_stack(uint64_t limit) {
  // The unwinder is bitcode linked in after lowering (link_sonde_bpf_c).
  auto *fn_type = llvm::FunctionType::get(b_.getInt64Ty(), {b_.getInt64Ty()}, false);
  llvm::FunctionCallee unwind =
      script_.module.module().getOrInsertFunction(SONDE_BPF_C_STRING(SONDE_DW_UNWIND), fn_type);
  script_.out.dwarf_stack_map_elf_name = SONDE_BPF_C_STRING(SONDE_DW_STACKS);
  script_.out.dwarf_stack_map_entries = static_cast<uint32_t>(script_.program.config.max_map_keys);
  return b_.CreateCall(unwind, {b_.getInt64(limit ? limit : kMaxStackFrames)});
}

CgValue ProgramCodegen::dwarf_stack_value(const TypePtr &type) {
  auto *stack_id = b_.CreateAnd(unwind_dwarf_stack(type->count), b_.getInt64(0xffffffff));
  // Map index 2 (CompiledScript::dwarf_stack_map_elf_name).
  return user_stack_value(b_.CreateOr(b_.getInt64(uint64_t{2} << 32), stack_id), type);
}

CgValue ProgramCodegen::dwarf_stack_depth(uint64_t limit) {
  return {b_.CreateLShr(unwind_dwarf_stack(limit), 32), Type::integer(8, true)};
}

CgValue ProgramCodegen::stack_depth(bool user, uint64_t limit) {
  constexpr int kGetStack = 67;
  auto *ptr = llvm::PointerType::get(b_.getContext(), 0);
  auto *fn_type =
      llvm::FunctionType::get(b_.getInt64Ty(), {ptr, ptr, b_.getInt64Ty(), b_.getInt64Ty()}, false);
  auto *helper = llvm::ConstantExpr::getIntToPtr(b_.getInt64(kGetStack), ptr);
  bool raw = as_raw_tracepoint_ || probe_.kind->context == ProbeContext::RawArguments;
  uint64_t flags = user ? kUserStackFlag : (raw ? kRawTracepointFrames : 0);
  // Only as many frames as the stack keeps (ustack(3): 3).
  uint64_t size = (limit ? std::min<uint64_t>(limit, kMaxStackFrames) : kMaxStackFrames) * 8;
  auto *frames = scratch_slot(size);
  auto *bytes =
      b_.CreateCall(fn_type, helper, {ctx_, frames, b_.getInt64(size), b_.getInt64(flags)});
  // A negative result is an error: no frames.
  auto *depth = b_.CreateSDiv(bytes, b_.getInt64(8));
  return {b_.CreateSelect(b_.CreateICmpSLT(depth, b_.getInt64(0)), b_.getInt64(0), depth),
          Type::integer(8, true)};
}

// The current process id; its first appearance with a user address, and its
// first after each exec, is announced to the runtime, which then reads the
// process's symbols while it is alive (its stacks may be printed only after
// it has exited or run another program).
llvm::Value *ProgramCodegen::current_process() {
  auto *pid = b_.CreateLShr(h_.call(Helper::GetCurrentPidTgid, {}), 32);
  if (!script_.new_process_event) {
    EventInfo info;
    info.kind = EventKind::NewProcess;
    info.args = layout_args({Type::integer(8, false)}, info.size);
    script_.new_process_event = add_event(std::move(info));
  }
  // Linked in after lowering (link_sonde_bpf_c).
  auto *fn_type = llvm::FunctionType::get(b_.getInt64Ty(), {}, false);
  llvm::FunctionCallee is_new = script_.module.module().getOrInsertFunction(
      SONDE_BPF_C_STRING(SONDE_NEW_ADDRESS_SPACE), fn_type);
  if_then(b_.CreateICmpNE(b_.CreateCall(is_new, {}), b_.getInt64(0)), [&] {
    emit_event(*script_.new_process_event, {CgValue{pid, Type::integer(8, false)}});
  });
  return pid;
}

llvm::Value *ProgramCodegen::load_relative_address(uint64_t address) {
  const auto &probed = script_.program.probed_addresses;
  const auto &targets = instance_.targets;
  if (targets.empty() || targets.size() != probe_indices_.size())
    return nullptr;
  std::vector<uint64_t> addresses;
  for (const auto &target : targets) {
    auto found = probed.find(target.spec);
    if (found == probed.end())
      return nullptr;
    addresses.push_back(found->second);
  }
  // One program on several targets: the attach cookie says which fired.
  llvm::Value *probed_address = b_.getInt64(addresses[0]);
  if (addresses.size() > 1) {
    auto *index = probe_index();
    for (size_t i = 1; i < addresses.size(); i++)
      probed_address = b_.CreateSelect(b_.CreateICmpEQ(index, b_.getInt64(probe_indices_[i])),
                                       b_.getInt64(addresses[i]), probed_address);
  }
  auto *base = b_.CreateSub(probed_ip(), probed_address);
  return b_.CreateAdd(base, b_.getInt64(address));
}

void ProgramCodegen::register_symbol_lowerings(LoweringTable &table) {
  auto stack = [](ProgramCodegen &cg, ast::Call &node) { return cg.stack_value(node.type); };
  table.functions["kstack"] = stack;
  table.functions["ustack"] = stack;
  table.functions["dw_ustack"] = [](ProgramCodegen &cg, ast::Call &node) {
    return cg.dwarf_stack_value(node.type);
  };
  // Addresses stay addresses: the runtime resolves them when it prints.
  auto address = [](ProgramCodegen &cg, ast::Call &node) {
    return CgValue{cg.to_i64(cg.gen(*node.args[0])), node.type};
  };
  table.functions["ksym"] = address;
  table.functions["kptr"] = address;
  table.functions["uptr"] = address;
  table.functions["usym"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto address = cg.to_i64(cg.gen(*node.args[0]));
    auto *value = cg.slot(16);
    cg.b_.CreateStore(address, value);
    cg.b_.CreateStore(cg.current_process(), cg.byte_ptr(value, 8));
    return CgValue{value, node.type};
  };
  auto symbol_address = [](ProgramCodegen &cg, ast::Call &node) {
    const auto &symbol = static_cast<ast::StringLiteral &>(*node.args[0]).value;
    std::string binary;
    if (node.name == "uaddr" && !cg.instance_.targets.empty() &&
        cg.instance_.targets[0].fields.size() > 0)
      binary = cg.instance_.targets[0].fields[0];
    auto found = cg.script_.program.symbols.find({binary, symbol});
    if (found == cg.script_.program.symbols.end())
      throw std::runtime_error(binary.empty()
                                   ? "Failed to resolve kernel symbol: " + symbol
                                   : "Could not resolve symbol: " + binary + ":" + symbol);
    if (found->second.load_relative)
      if (auto *moved = cg.load_relative_address(found->second.address))
        return CgValue{moved, node.type};
    return CgValue{cg.b_.getInt64(found->second.address), node.type};
  };
  table.functions["percpu_kaddr"] = [](ProgramCodegen &cg, ast::Call &node) {
    const auto &name = static_cast<ast::StringLiteral &>(*node.args[0]).value;
    auto type = types::KernelTypes::get().variable_type(name);
    if (!type)
      throw std::runtime_error("percpu_kaddr(): the kernel's BTF has no variable '" + name + "'");
    llvm::Value *variable = cg.script_.module.kernel_variable(name, *type);
    llvm::Value *pointer =
        node.args.size() == 2
            ? cg.h_.call_ptr(Helper::PerCpuPtr, {variable, cg.to_i64(cg.gen(*node.args[1]))})
            : cg.h_.call_ptr(Helper::ThisCpuPtr, {variable});
    return CgValue{cg.b_.CreatePtrToInt(pointer, cg.b_.getInt64Ty()), node.type};
  };
  table.functions["kaddr"] = symbol_address;
  table.functions["uaddr"] = symbol_address;
  table.functions["reg"] = [](ProgramCodegen &cg, ast::Call &node) {
    const auto &reg = static_cast<ast::StringLiteral &>(*node.args[0]).value;
    return CgValue{
        cg.b_.CreateLoad(cg.b_.getInt64Ty(), cg.byte_ptr(cg.ctx_, find_pt_regs_field(reg)->offset)),
        node.type};
  };
}

} // namespace sonde::codegen
