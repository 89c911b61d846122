// Lowering of builtin variables (pid, comm, nsecs, args, …).
#include "sema/builtins.h"
#include "codegen/lowerings.h"
#include "common/registers.h"

#include <ctime>
#include <set>

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
// register, or user memory at base + index * scale + displacement.
llvm::Value *ProgramCodegen::usdt_argument(const sema::MachineArgument &arg, const TypePtr &type) {
  using K = sema::MachineArgument::Kind;
  if (arg.kind == K::Constant)
    return b_.getInt64(static_cast<uint64_t>(arg.value));
  auto reg = [&](uint32_t offset) {
    return b_.CreateLoad(b_.getInt64Ty(), byte_ptr(ctx_, offset));
  };
  llvm::Value *raw = nullptr;
  if (arg.kind == K::Register) {
    raw = reg(arg.register_offset);
  } else {
    llvm::Value *address = b_.getInt64(static_cast<uint64_t>(arg.value));
    if (arg.has_register)
      address = b_.CreateAdd(reg(arg.register_offset), address);
    if (arg.scale)
      address = b_.CreateAdd(address,
                             b_.CreateMul(reg(arg.index_register_offset), b_.getInt64(arg.scale)));
    auto *dst = slot(8);
    b_.CreateStore(b_.getInt64(0), dst);
    read_memory(dst, arg.size, address, true);
    raw = b_.CreateLoad(b_.getInt64Ty(), dst);
  }
  // Only the argument's own bytes count, extended by its signedness.
  auto *narrow = b_.CreateTrunc(raw, b_.getIntNTy(arg.size * 8));
  return type->is_signed ? b_.CreateSExt(narrow, b_.getInt64Ty())
                         : b_.CreateZExt(narrow, b_.getInt64Ty());
}

// At a return the instruction pointer is in the caller: the kernel knows
// the probed function's address (0 for a uretprobe not attached through a
// uprobe_multi link).
llvm::Value *ProgramCodegen::probed_ip() {
  if (probe_.kind->has_retval && probe_.kind->has_registers())
    return h_.call(Helper::GetFuncIp, {ctx_});
  return b_.CreateLoad(b_.getInt64Ty(), byte_ptr(ctx_, instruction_pointer().offset));
}

llvm::Value *ProgramCodegen::probe_index() {
  if (dispatched_probe_)
    return b_.CreateLoad(b_.getInt64Ty(), dispatched_probe_);
  if (probe_indices_.size() == 1)
    return b_.getInt64(probe_indices_[0]);
  // One program attached to several probes: the attach cookie says which.
  return h_.call(Helper::GetAttachCookie, {ctx_});
}

CgValue ProgramCodegen::probe_name_text(const TypePtr &type) {
  auto text = [&](size_t index) {
    ast::StringLiteral name;
    name.value = script_.out.probe_names.at(index);
    name.type = type;
    return gen(name);
  };
  if (!dispatched_probe_ && probe_indices_.size() == 1)
    return text(probe_indices_[0]);
  std::set<size_t> indices(probe_indices_.begin(), probe_indices_.end());
  for (const auto &[nr, index] : syscall_dispatch_)
    indices.insert(index);
  auto *dst = slot(type->size);
  zero(dst, type->size);
  auto *done = new_block("probe_name_done");
  auto *sw = b_.CreateSwitch(probe_index(), done, static_cast<unsigned>(indices.size()));
  for (size_t index : indices) {
    auto *block = new_block("probe_name_" + std::to_string(index));
    sw->addCase(b_.getInt64(index), block);
    b_.SetInsertPoint(block);
    copy(dst, text(index).value, type->size);
    b_.CreateBr(done);
  }
  b_.SetInsertPoint(done);
  return {dst, type};
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

CgValue ProgramCodegen::task_field(llvm::Value *task, const std::string &field, const TypePtr &as) {
  auto task_type = script_.program.types.find("struct task_struct");
  const types::Field *found = nullptr;
  for (const auto &f : task_type ? task_type->fields : std::vector<types::Field>{})
    if (f.name == field)
      found = &f;
  if (!found)
    throw std::runtime_error("struct task_struct has no field '" + field + "'");
  RemoteValue member{b_.CreateAdd(task, b_.getInt64(found->offset)),
                     script_.program.types.resolve(found->type)};
  return read_remote(member, as);
}

CgValue ProgramCodegen::task_builtin(const std::string &name, llvm::Value *task,
                                     const TypePtr &type) {
  bool parent = name == "ppid" || name == "pcomm";
  auto relative =
      to_i64(task_field(task, parent ? "real_parent" : "group_leader", Type::integer(8, false)));
  if (name == "pcomm" || name == "leader_comm")
    return task_field(relative, "comm", type);
  return task_field(relative, parent ? "tgid" : "pid", type);
}

// In the initial namespace (inode 0, a constant of the loaded object) the
// verifier drops the translating branch.
llvm::Value *ProgramCodegen::current_pid_tgid(bool own_namespace) {
  if (!own_namespace)
    return h_.call(Helper::GetCurrentPidTgid, {});
  auto *result = stack_slot(8);
  auto *ino = load_time_constant(script_.pidns_ino);
  auto *initial = new_block("initial_pid_namespace");
  auto *other = new_block("own_pid_namespace");
  auto *done = new_block("pid_known");
  b_.CreateCondBr(b_.CreateICmpEQ(ino, b_.getInt64(0)), initial, other);
  b_.SetInsertPoint(initial);
  b_.CreateStore(h_.call(Helper::GetCurrentPidTgid, {}), result);
  b_.CreateBr(done);
  b_.SetInsertPoint(other);
  // struct bpf_pidns_info { u32 pid; u32 tgid; }: the same packing, zeroed
  // by the helper for a task outside the namespace.
  h_.call(Helper::GetNsCurrentPidTgid,
          {load_time_constant(script_.pidns_dev), ino, result, b_.getInt64(8)});
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  return b_.CreateLoad(b_.getInt64Ty(), result);
}

CgValue ProgramCodegen::comm_of_pid(llvm::Value *pid, const TypePtr &type) {
  ast::StringLiteral unknown;
  unknown.value = "[Unknown]";
  unknown.type = type;
  CgValue name = gen(unknown);
  auto *task =
      b_.CreateCall(script_.module.task_from_pid_kfunc(), {b_.CreateTrunc(pid, b_.getInt32Ty())});
  if_then(b_.CreateIsNotNull(task), [&] {
    CgValue comm = task_field(b_.CreatePtrToInt(task, b_.getInt64Ty()), "comm", type);
    copy(name.value, comm.value, type->size);
    b_.CreateCall(script_.module.task_release_kfunc(), {task});
  });
  return name;
}

namespace {

int64_t clock_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

// The builtin a call names, without the argument some calls take.
ast::Identifier called_variable(const ast::Call &node) {
  ast::Identifier variable;
  variable.name = sema::without_builtin_prefix(node.name);
  variable.loc = node.loc;
  variable.type = node.type;
  return variable;
}

} // namespace

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
  // As sonde's pid namespace sees them (curr_ns), as bpftrace does.
  variables["pid"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    return CgValue{cg.b_.CreateLShr(cg.current_pid_tgid(true), 32), node.type};
  };
  variables["tid"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    return CgValue{cg.b_.CreateAnd(cg.current_pid_tgid(true), cg.b_.getInt64(0xffffffff)),
                   node.type};
  };
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
  auto current_task = [](ProgramCodegen &cg, ast::Identifier &node) {
    return cg.task_builtin(node.name, cg.h_.call(Helper::GetCurrentTask, {}), node.type);
  };
  for (const char *name : {"ppid", "pcomm", "leader_tid", "leader_comm"})
    variables[name] = current_task;
  variables["has_cpid"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    auto *cpid = cg.b_.CreateLoad(cg.b_.getInt64Ty(), cg.script_.child_pid, /*isVolatile=*/true);
    return CgValue{cg.b_.CreateZExt(cg.b_.CreateIsNotNull(cpid), cg.b_.getInt64Ty()), node.type};
  };
  variables["ctx"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    return CgValue{cg.b_.CreatePtrToInt(cg.ctx_, cg.b_.getInt64Ty()), node.type};
  };
  variables["probetype"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    ast::StringLiteral name;
    name.value = cg.probe_.kind->at_start_or_end ? "special" : cg.probe_.kind->name;
    name.type = node.type;
    return cg.gen(name);
  };
  // The privilege level of the interrupted code, where registers are saved;
  // begin and end are run for sonde itself, from user space.
  variables["usermode"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    if (cg.probe_.kind->at_start_or_end)
      return CgValue{cg.b_.getInt64(1), node.type};
    auto context = cg.probe_.kind->context;
    if (context != ProbeContext::PtRegs && context != ProbeContext::PerfEvent)
      return CgValue{cg.b_.getInt64(0), node.type};
    auto *cs = cg.b_.CreateLoad(cg.b_.getInt64Ty(),
                                cg.byte_ptr(cg.ctx_, find_pt_regs_field("cs")->offset));
    auto *user = cg.b_.CreateICmpEQ(cg.b_.CreateAnd(cs, cg.b_.getInt64(3)), cg.b_.getInt64(3));
    return CgValue{cg.b_.CreateZExt(user, cg.b_.getInt64Ty()), node.type};
  };
  auto stack = [](ProgramCodegen &cg, ast::Identifier &node) { return cg.stack_value(node.type); };
  variables["kstack"] = stack;
  variables["ustack"] = stack;
  variables["dw_ustack"] = [](ProgramCodegen &cg, ast::Identifier &node) {
    return cg.dwarf_stack_value(node.type);
  };

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
    auto *ip = cg.probed_ip();
    if (node.type->kind != Kind::Usym)
      return CgValue{ip, node.type};
    // The upper half of the pid word names the probe (index + 1): its
    // function names the address after the process has exited.
    auto *pid = cg.b_.CreateLShr(cg.h_.call(Helper::GetCurrentPidTgid, {}), 32);
    auto *probe = cg.b_.CreateShl(cg.b_.CreateAdd(cg.probe_index(), cg.b_.getInt64(1)), 32);
    auto *sym = cg.slot(16);
    cg.b_.CreateStore(ip, sym);
    cg.b_.CreateStore(cg.b_.CreateOr(pid, probe), cg.byte_ptr(sym, 8));
    return CgValue{sym, node.type};
  };

  // The variables called as functions (sema's check_variable_call).
  auto &functions = table.functions;
  auto as_variable = [](ProgramCodegen &cg, ast::Call &node) {
    auto variable = called_variable(node);
    return cg.builtin_variable(variable);
  };
  for (const auto &[name, lowering] : variables) {
    if (name == "args" || name == "kstack" || name == "ustack" || name == "dw_ustack")
      continue;
    functions[name] = as_variable;
    functions["__builtin_" + name] = as_variable;
  }
  auto task_call = [](ProgramCodegen &cg, ast::Call &node) {
    auto variable = called_variable(node);
    if (node.args.empty())
      return cg.builtin_variable(variable);
    return cg.task_builtin(variable.name, cg.to_i64(cg.gen(*node.args[0])), node.type);
  };
  // Clocks by mode; sw_tai is the monotonic clock moved by TAI's offset.
  auto nsecs_call = [](ProgramCodegen &cg, ast::Call &node) {
    std::string mode = node.args.empty() ? "" : static_cast<ast::Identifier &>(*node.args[0]).name;
    llvm::Value *ns;
    if (mode == "boot")
      ns = cg.h_.call(Helper::KtimeGetBootNs, {});
    else if (mode == "tai")
      ns = cg.h_.call(Helper::KtimeGetTaiNs, {});
    else if (mode == "sw_tai")
      ns = cg.b_.CreateAdd(cg.h_.call(Helper::KtimeGetNs, {}),
                           cg.b_.getInt64(clock_ns(CLOCK_TAI) - clock_ns(CLOCK_MONOTONIC)));
    else
      ns = cg.h_.call(Helper::KtimeGetNs, {});
    return CgValue{ns, node.type};
  };
  auto comm_call = [](ProgramCodegen &cg, ast::Call &node) {
    if (node.args.empty()) {
      auto variable = called_variable(node);
      return cg.builtin_variable(variable);
    }
    return cg.comm_of_pid(cg.to_i64(cg.gen(*node.args[0])), node.type);
  };
  // pid(curr_ns), pid(init), tid(…).
  auto pid_call = [](ProgramCodegen &cg, ast::Call &node) {
    bool init = !node.args.empty() && static_cast<ast::Identifier &>(*node.args[0]).name == "init";
    auto *both = cg.current_pid_tgid(!init);
    bool pid = sema::without_builtin_prefix(node.name) == "pid";
    return CgValue{pid ? cg.b_.CreateLShr(both, 32)
                       : cg.b_.CreateAnd(both, cg.b_.getInt64(0xffffffff)),
                   node.type};
  };
  for (const std::string prefix : {"", "__builtin_"}) {
    for (const char *name : {"ppid", "pcomm", "leader_tid", "leader_comm"})
      functions[prefix + name] = task_call;
    functions[prefix + "nsecs"] = nsecs_call;
    functions[prefix + "pid"] = pid_call;
    functions[prefix + "tid"] = pid_call;
    functions[prefix + "comm"] = comm_call;
  }
}

} // namespace sonde::codegen
