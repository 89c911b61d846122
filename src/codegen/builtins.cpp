// Lowering of builtin variables (pid, comm, nsecs, args, …).
#include "sema/builtins.h"
#include "codegen/lowerings.h"
#include "common/registers.h"

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

// Argument `index` of the probed function: a register for the first six,
// then the caller's stack above the return address.
llvm::Value *ProgramCodegen::register_argument(uint64_t index) {
  auto *i64 = b_.getInt64Ty();
  if (const PtRegsRegister *reg = argument_register(index))
    return b_.CreateLoad(i64, byte_ptr(ctx_, reg->offset));
  auto *sp = b_.CreateLoad(i64, byte_ptr(ctx_, stack_pointer().offset));
  auto *address = b_.CreateAdd(sp, b_.getInt64(8 * (index - kArgumentRegisterCount + 1)));
  auto *dst = slot(8);
  bool user = probe_.kind->address_space == AddressSpace::User;
  h_.call(user ? Helper::ProbeReadUser : Helper::ProbeReadKernel, {dst, b_.getInt64(8), address});
  return b_.CreateLoad(i64, dst);
}

void ProgramCodegen::set_syscall_dispatch(std::vector<std::pair<uint64_t, size_t>> table,
                                          bool exit) {
  syscall_dispatch_ = std::move(table);
  syscall_exit_ = exit;
}

// The raw sys_enter arguments are (regs, id); sys_exit's are (regs, ret),
// and the number is then regs->orig_ax.
void ProgramCodegen::emit_syscall_dispatch() {
  auto *i64 = b_.getInt64Ty();
  llvm::Value *number;
  if (syscall_exit_) {
    auto *regs = b_.CreateLoad(i64, ctx_);
    auto *dst = slot(8);
    h_.call(
        Helper::ProbeReadKernel,
        {dst, b_.getInt64(8), b_.CreateAdd(regs, b_.getInt64(syscall_number_register().offset))});
    number = b_.CreateLoad(i64, dst);
  } else {
    number = b_.CreateLoad(i64, byte_ptr(ctx_, 8));
  }
  dispatched_probe_ = slot(8);
  auto *other = new_block("other_syscall");
  auto *traced = new_block("traced_syscall");
  auto *sw = b_.CreateSwitch(number, other, static_cast<unsigned>(syscall_dispatch_.size()));
  for (const auto &[nr, index] : syscall_dispatch_) {
    auto *block = new_block("syscall_" + std::to_string(nr));
    sw->addCase(b_.getInt64(nr), block);
    b_.SetInsertPoint(block);
    b_.CreateStore(b_.getInt64(index), dispatched_probe_);
    b_.CreateBr(traced);
  }
  b_.SetInsertPoint(other);
  return_zero();
  b_.SetInsertPoint(traced);
}

// A USDT argument where the probe site's note says it is: a constant, a
// register, or user memory at a register plus a displacement.
llvm::Value *ProgramCodegen::usdt_argument(const sema::MachineArgument &arg, const TypePtr &type) {
  using K = sema::MachineArgument::Kind;
  if (arg.kind == K::Constant)
    return b_.getInt64(static_cast<uint64_t>(arg.value));
  auto *reg = b_.CreateLoad(b_.getInt64Ty(), byte_ptr(ctx_, arg.register_offset));
  CgValue raw{reg, Type::integer(8, false)};
  if (arg.kind == K::Memory) {
    auto *dst = slot(8);
    b_.CreateStore(b_.getInt64(0), dst);
    read_memory(dst, arg.size, b_.CreateAdd(reg, b_.getInt64(static_cast<uint64_t>(arg.value))),
                true);
    raw.value = b_.CreateLoad(b_.getInt64Ty(), dst);
  }
  // Only the argument's own bytes count, extended by its signedness.
  auto *narrow = b_.CreateTrunc(raw.value, b_.getIntNTy(arg.size * 8));
  return type->is_signed ? b_.CreateSExt(narrow, b_.getInt64Ty())
                         : b_.CreateZExt(narrow, b_.getInt64Ty());
}

llvm::Value *ProgramCodegen::probe_index() {
  if (dispatched_probe_)
    return b_.CreateLoad(b_.getInt64Ty(), dispatched_probe_);
  if (probe_indices_.size() == 1)
    return b_.getInt64(probe_indices_[0]);
  // One program attached to several probes: the attach cookie says which.
  return h_.call(Helper::GetAttachCookie, {ctx_});
}

CgValue ProgramCodegen::tracepoint_field(const types::Field &field, const TypePtr &type) {
  auto *at = byte_ptr(ctx_, field.offset);
  if (field.data_loc) {
    // The slot holds (length << 16 | offset) of the data within the record.
    auto *loc = b_.CreateZExt(b_.CreateLoad(b_.getInt32Ty(), at), b_.getInt64Ty());
    auto *data = b_.CreateAdd(b_.CreatePtrToInt(ctx_, b_.getInt64Ty()),
                              b_.CreateAnd(loc, b_.getInt64(0xffff)));
    auto *dst = slot(type->size);
    zero(dst, type->size);
    h_.call(Helper::ProbeReadKernelStr, {dst, b_.getInt64(type->size), data});
    return {dst, type};
  }
  if (is_register_value(*type) || type->kind == Kind::Bool)
    return load_from(at, type);
  auto *dst = slot(type->size);
  h_.call(Helper::ProbeReadKernel,
          {dst, b_.getInt64(type->size), b_.CreatePtrToInt(at, b_.getInt64Ty())});
  return {dst, type};
}

void ProgramCodegen::register_variable_lowerings(LoweringTable &table) {
  auto &variables = table.variables;
  // A variable whose value one helper call gives.
  auto helper = [](Helper helper) -> VariableLowering {
    return [helper](ProgramCodegen &cg, ast::Identifier &node) {
      return CgValue{cg.h_.call(helper, {}), node.type};
    };
  };
  // The upper or the lower half of what one helper call gives.
  auto upper_half = [](Helper helper) -> VariableLowering {
    return [helper](ProgramCodegen &cg, ast::Identifier &node) {
      return CgValue{cg.b_.CreateLShr(cg.h_.call(helper, {}), 32), node.type};
    };
  };
  auto lower_half = [](Helper helper) -> VariableLowering {
    return [helper](ProgramCodegen &cg, ast::Identifier &node) {
      return CgValue{cg.b_.CreateAnd(cg.h_.call(helper, {}), cg.b_.getInt64(0xffffffff)),
                     node.type};
    };
  };
  variables["pid"] = upper_half(Helper::GetCurrentPidTgid);
  variables["tid"] = lower_half(Helper::GetCurrentPidTgid);
  variables["uid"] = lower_half(Helper::GetCurrentUidGid);
  variables["gid"] = upper_half(Helper::GetCurrentUidGid);
  variables["username"] = lower_half(Helper::GetCurrentUidGid);
  variables["nsecs"] = helper(Helper::KtimeGetNs);
  variables["elapsed"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    return CgValue{cg.b_.CreateSub(cg.h_.call(Helper::KtimeGetNs, {}),
                                   cg.load_time_constant(cg.script_.start_ns)),
                   node.type};
  };
  variables["cpu"] = helper(Helper::GetSmpProcessorId);
  variables["numaid"] = helper(Helper::GetNumaNodeId);
  variables["rand"] = helper(Helper::GetPrandomU32);
  variables["cgroup"] = helper(Helper::GetCurrentCgroupId);
  variables["jiffies"] = helper(Helper::Jiffies64);
  variables["curtask"] = helper(Helper::GetCurrentTask);
  variables["cpid"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    return CgValue{cg.load_time_constant(cg.script_.child_pid), node.type};
  };
  variables["ncpus"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    return CgValue{cg.load_time_constant(cg.script_.ncpus), node.type};
  };
  variables["probe"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    return CgValue{cg.probe_index(), node.type};
  };
  variables["comm"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    auto *dst = cg.slot(16);
    cg.h_.call(Helper::GetCurrentComm, {dst, cg.b_.getInt64(16)});
    return CgValue{dst, node.type};
  };
  variables["args"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    // This program's own record layout.
    return CgValue{cg.ctx_, cg.instance_.args ? cg.instance_.args : node.type};
  };
  auto stack = [](ProgramCodegen &cg, ast::Identifier &node) { return cg.stack_value(node.type); };
  variables["kstack"] = stack;
  variables["ustack"] = stack;

  table.argument = [](ProgramCodegen &cg, ast::Identifier &node) {
    auto index = *sema::argument_index(node.name);
    switch (cg.probe_.kind->arguments) {
    case ArgumentSource::RawArguments:
      return CgValue{cg.b_.CreateLoad(cg.b_.getInt64Ty(), cg.byte_ptr(cg.ctx_, index * 8)),
                     node.type};
    case ArgumentSource::UsdtOperands:
      return CgValue{cg.usdt_argument(cg.instance_.usdt_arguments.at(index), node.type), node.type};
    case ArgumentSource::Registers:
      return CgValue{cg.register_argument(index), node.type};
    case ArgumentSource::None:
      break;
    }
    throw std::runtime_error(node.name + " cannot be used in " + cg.probe_.kind->name + " probes");
  };
  variables["retval"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    if (!cg.probe_.kind->has_retval)
      throw std::runtime_error("retval cannot be used in " + cg.probe_.kind->name + " probes");
    return CgValue{
        cg.b_.CreateLoad(cg.b_.getInt64Ty(), cg.byte_ptr(cg.ctx_, return_register().offset)),
        node.type};
  };
  variables["func"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    if (!cg.probe_.kind->has_func)
      throw std::runtime_error("func cannot be used in " + cg.probe_.kind->name + " probes");
    auto *ip =
        cg.b_.CreateLoad(cg.b_.getInt64Ty(), cg.byte_ptr(cg.ctx_, instruction_pointer().offset));
    if (node.type->kind != Kind::Usym)
      return CgValue{ip, node.type};
    auto *pid = cg.b_.CreateLShr(cg.h_.call(Helper::GetCurrentPidTgid, {}), 32);
    auto *sym = cg.slot(16);
    cg.b_.CreateStore(ip, sym);
    cg.b_.CreateStore(pid, cg.byte_ptr(sym, 8));
    return CgValue{sym, node.type};
  };
}

} // namespace sonde::codegen
