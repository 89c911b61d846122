// Lowering of builtin variables (pid, comm, nsecs, args, …).
#include "codegen/program_codegen.h"
#include "common/registers.h"

#include <regex>

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

CgValue ProgramCodegen::builtin_variable(ast::Identifier &node) {
  const std::string &name = node.name;
  auto *i64 = b_.getInt64Ty();
  auto value = [&](llvm::Value *v) { return CgValue{v, node.type}; };
  if (node.constant)
    return value(b_.getInt64(static_cast<uint64_t>(*node.constant)));

  if (name == "pid" || name == "tid") {
    auto *pid_tgid = h_.call(Helper::GetCurrentPidTgid, {});
    return value(name == "pid" ? b_.CreateLShr(pid_tgid, 32)
                               : b_.CreateAnd(pid_tgid, b_.getInt64(0xffffffff)));
  }
  if (name == "uid" || name == "gid" || name == "username") {
    auto *uid_gid = h_.call(Helper::GetCurrentUidGid, {});
    return value(name == "gid" ? b_.CreateLShr(uid_gid, 32)
                               : b_.CreateAnd(uid_gid, b_.getInt64(0xffffffff)));
  }
  if (name == "nsecs")
    return value(h_.call(Helper::KtimeGetNs, {}));
  if (name == "elapsed")
    return value(
        b_.CreateSub(h_.call(Helper::KtimeGetNs, {}), b_.getInt64(script_.options.start_ns)));
  if (name == "cpu")
    return value(h_.call(Helper::GetSmpProcessorId, {}));
  if (name == "numaid")
    return value(h_.call(Helper::GetNumaNodeId, {}));
  if (name == "rand")
    return value(h_.call(Helper::GetPrandomU32, {}));
  if (name == "cgroup")
    return value(h_.call(Helper::GetCurrentCgroupId, {}));
  if (name == "jiffies")
    return value(h_.call(Helper::Jiffies64, {}));
  if (name == "curtask")
    return value(h_.call(Helper::GetCurrentTask, {}));
  if (name == "cpid")
    return value(b_.CreateLoad(i64, script_.child_pid, /*isVolatile=*/true));
  if (name == "ncpus")
    return value(b_.getInt64(script_.options.ncpus));
  if (name == "probe")
    return value(probe_index());
  if (name == "comm") {
    auto *dst = slot(16);
    h_.call(Helper::GetCurrentComm, {dst, b_.getInt64(16)});
    return {dst, node.type};
  }
  if (name == "args")
    return {ctx_, instance_.args ? instance_.args : node.type}; // this program's own layout
  if (name == "kstack" || name == "ustack")
    return stack_builtin(node);
  static const std::regex arg_n("arg([0-9]+)");
  std::smatch m;
  if (std::regex_match(name, m, arg_n)) {
    auto index = std::stoull(m[1]);
    switch (probe_.kind->arguments) {
    case ArgumentSource::RawArguments:
      return value(b_.CreateLoad(i64, byte_ptr(ctx_, index * 8)));
    case ArgumentSource::UsdtOperands:
      return value(usdt_argument(instance_.usdt_arguments.at(index), node.type));
    case ArgumentSource::Registers:
      return value(register_argument(index));
    case ArgumentSource::None:
      break;
    }
  }
  if (name == "retval" && probe_.kind->has_retval)
    return value(b_.CreateLoad(i64, byte_ptr(ctx_, return_register().offset)));
  if (name == "func" && probe_.kind->has_func) {
    auto *ip = b_.CreateLoad(i64, byte_ptr(ctx_, instruction_pointer().offset));
    if (node.type->kind == Kind::Usym) {
      auto *pid = b_.CreateLShr(h_.call(Helper::GetCurrentPidTgid, {}), 32);
      auto *sym = slot(16);
      b_.CreateStore(ip, sym);
      b_.CreateStore(pid, byte_ptr(sym, 8));
      return {sym, node.type};
    }
    return value(ip);
  }
  throw std::runtime_error(name + " cannot be used in " + probe_.kind->name + " probes yet");
}

} // namespace sonde::codegen
