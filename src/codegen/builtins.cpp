// Lowering of builtin variables (pid, comm, nsecs, args, …).
#include "codegen/program_codegen.h"

#include <regex>

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

llvm::Value *ProgramCodegen::probe_index() {
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
    return value(b_.CreateSub(h_.call(Helper::KtimeGetNs, {}),
                              b_.getInt64(script_.options.start_ns)));
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
    return {ctx_, node.type};
  static const std::regex arg_n("arg([0-9]+)");
  std::smatch m;
  if (std::regex_match(name, m, arg_n) && as_raw_tracepoint_) {
    auto index = std::stoull(m[1]);
    return value(b_.CreateLoad(i64, byte_ptr(ctx_, index * 8)));
  }
  throw std::runtime_error(name + " cannot be used in " + probe_.provider +
                           " probes yet");
}

} // namespace sonde::codegen
