// Lowering of getopt, bswap, strftime, ntop, pton, strerror, syscall_name,
// cgroup_path, cgroupid, macaddr, buf, sizeof, offsetof, join, path, signal,
// override.
#include "codegen/lowerings.h"
#include "sema/builtins.h"
#include "sema/named_params.h"

#include <arpa/inet.h>
#include <csignal>
#include <cstring>
#include <llvm/IR/Intrinsics.h>
#include <sys/stat.h>

namespace sonde::codegen {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

constexpr int kProbeWriteUser = 36;
constexpr int kGetSocketCookie = 46;
constexpr int kSendSignal = 109;
constexpr int kSendSignalThread = 117;
constexpr int kOverrideReturn = 58;
constexpr int kDPath = 147;
constexpr uint64_t kJoinArguments = 16;

int signal_number(const std::string &name) {
  std::string bare = name.rfind("SIG", 0) == 0 ? name.substr(3) : name;
  for (int sig = 1; sig < NSIG; sig++)
    if (const char *abbrev = sigabbrev_np(sig); abbrev && bare == abbrev)
      return sig;
  return 0;
}

} // namespace

// Reads `size` bytes at `address` in the probe's address space into `dst`.
void ProgramCodegen::read_memory(llvm::Value *dst, uint64_t size, llvm::Value *address, bool user) {
  bool by_address = !user && probe_.kind->reads_by_address;
  auto *result = h_.call(user         ? Helper::ProbeReadUser
                         : by_address ? Helper::ProbeRead
                                      : Helper::ProbeReadKernel,
                         {dst, b_.getInt64(size), address});
  check_helper(user ? "probe_read_user" : by_address ? "probe_read" : "probe_read_kernel", result);
}

bool ProgramCodegen::user_address(const types::Type &type) const {
  if (type.kind == Kind::Pointer)
    return type.user_space;
  return probe_.kind->address_space == AddressSpace::User;
}

void ProgramCodegen::register_conversion_lowerings(LoweringTable &table) {
  table.functions["getopt"] = [](ProgramCodegen &cg, ast::Call &node) {
    const auto &option = static_cast<ast::StringLiteral &>(*node.args[0]).value;
    auto given = sema::named_param(cg.script_.program.named_params, option);
    if (node.type->kind == Kind::String) {
      ast::StringLiteral text;
      text.value = given ? *given : static_cast<ast::StringLiteral &>(*node.args[1]).value;
      text.type = node.type;
      return cg.gen(text);
    }
    int64_t value = 0;
    if (node.type->kind == Kind::Bool) {
      auto *default_value =
          node.args.size() >= 2 ? dynamic_cast<ast::BoolLiteral *>(node.args[1].get()) : nullptr;
      value = given ? sema::named_param_bool(*given).value_or(false)
                    : (default_value && default_value->value);
    } else if (!given) {
      value = static_cast<int64_t>(static_cast<ast::IntegerLiteral &>(*node.args[1]).value);
    } else {
      char *end = nullptr;
      value = std::strtoll(given->c_str(), &end, 0);
      if (given->empty() || *end != '\0')
        value = sema::named_param_bool(*given).value_or(false);
    }
    return CgValue{cg.b_.getInt64(static_cast<uint64_t>(value)), node.type};
  };
  table.functions["bswap"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto v = cg.to_i64(cg.gen(*node.args[0]));
    unsigned bits = static_cast<unsigned>(node.type->size * 8);
    if (bits == 8)
      return CgValue{v, node.type};
    auto *narrow = cg.b_.CreateTrunc(v, cg.b_.getIntNTy(bits));
    auto *swapped = cg.b_.CreateUnaryIntrinsic(llvm::Intrinsic::bswap, narrow);
    return CgValue{cg.b_.CreateZExt(swapped, cg.b_.getInt64Ty()), node.type};
  };
  table.functions["strftime"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto ns = cg.to_i64(cg.gen(*node.args[1]));
    return CgValue{cg.b_.CreateAdd(ns, cg.load_time_constant(cg.script_.realtime_offset_ns)),
                   node.type};
  };
  // Integers the runtime formats.
  auto formatted_integer = [](ProgramCodegen &cg, ast::Call &node) {
    return CgValue{cg.to_i64(cg.gen(*node.args[0])), node.type};
  };
  table.functions["strerror"] = formatted_integer;
  table.functions["syscall_name"] = formatted_integer;
  table.functions["cgroup_path"] = formatted_integer;
  table.functions["cgroupid"] = [](ProgramCodegen &cg, ast::Call &node) {
    const auto &path = static_cast<ast::StringLiteral &>(*node.args[0]).value;
    struct stat st {};
    if (stat(path.c_str(), &st) != 0)
      throw std::runtime_error("cgroupid(): cannot stat " + path + ": " + std::strerror(errno));
    return CgValue{cg.b_.getInt64(st.st_ino), node.type};
  };
  table.functions["sizeof"] = [](ProgramCodegen &cg, ast::Call &node) {
    return CgValue{cg.b_.getInt64(node.args[0]->type->size), node.type};
  };
  table.functions["offsetof"] = [](ProgramCodegen &cg, ast::Call &node) {
    // Sema computed the offset of the field's path.
    const auto &field = static_cast<ast::Identifier &>(*node.args[1]);
    return CgValue{cg.b_.getInt64(field.constant.value_or(0)), node.type};
  };
  table.functions["pton"] = [](ProgramCodegen &cg, ast::Call &node) {
    const auto &text = static_cast<ast::StringLiteral &>(*node.args[0]).value;
    unsigned char bytes[16] = {};
    inet_pton(node.type->size == 4 ? AF_INET : AF_INET6, text.c_str(), bytes);
    auto *dst = cg.slot(node.type->size);
    for (uint64_t i = 0; i < node.type->size; i++)
      cg.b_.CreateStore(cg.b_.getInt8(bytes[i]), cg.byte_ptr(dst, i));
    return CgValue{dst, node.type};
  };
  table.functions["ntop"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto &b = cg.b_;
    auto &addr_arg = *node.args.back();
    auto addr = cg.gen(addr_arg);
    auto *dst = cg.slot(node.type->size);
    cg.zero(dst, node.type->size);
    llvm::Value *family = b.getInt64(AF_INET);
    if (node.args.size() == 2)
      family = cg.to_i64(cg.gen(*node.args[0]));
    else if (addr.type->kind == Kind::Array && addr.type->size == 16)
      family = b.getInt64(AF_INET6);
    b.CreateStore(family, dst);
    auto *data = cg.byte_ptr(dst, 8);
    if (addr.type->kind == Kind::Array) {
      cg.copy(data, addr.value, addr.type->size);
    } else if (addr.type->kind == Kind::Pointer) {
      auto *is_v6 = b.CreateICmpEQ(family, b.getInt64(AF_INET6));
      auto *size = b.CreateSelect(is_v6, b.getInt64(16), b.getInt64(4));
      cg.h_.call(cg.user_address(*addr.type) ? Helper::ProbeReadUser : Helper::ProbeReadKernel,
                 {data, size, cg.to_i64(addr)});
    } else {
      // An IPv4 address as an integer is already in network byte order.
      b.CreateStore(b.CreateTrunc(cg.to_i64(addr), b.getInt32Ty()), data);
    }
    return CgValue{dst, node.type};
  };
  table.functions["macaddr"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto v = cg.gen(*node.args[0]);
    auto *dst = cg.slot(8);
    cg.zero(dst, 8);
    if (v.type->kind == Kind::Array || v.type->kind == Kind::String)
      cg.copy(dst, v.value, std::min<uint64_t>(6, v.type->size));
    else
      cg.read_memory(dst, 6, cg.to_i64(v), cg.user_address(*v.type));
    return CgValue{dst, node.type};
  };
  table.functions["buf"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto &b = cg.b_;
    auto v = cg.gen(*node.args[0]);
    uint64_t capacity = node.type->size - 4;
    auto *dst = cg.slot(node.type->size);
    cg.zero(dst, node.type->size);
    if (v.type->kind == Kind::Array || v.type->kind == Kind::String) {
      // Bytes past the value's end read as zeros: buf("ab", 4) is "ab\0\0".
      cg.copy(cg.byte_ptr(dst, 4), v.value, std::min(capacity, v.type->size));
      llvm::Value *length = b.getInt64(capacity);
      if (node.args.size() == 2) {
        auto *n = cg.to_i64(cg.gen(*node.args[1]));
        length = b.CreateSelect(b.CreateICmpULT(n, length), n, length);
      }
      b.CreateStore(b.CreateTrunc(length, b.getInt32Ty()), dst);
    } else {
      llvm::Value *length = b.getInt64(capacity);
      if (node.args.size() == 2) {
        auto *n = cg.to_i64(cg.gen(*node.args[1]));
        length = b.CreateSelect(b.CreateICmpULT(n, b.getInt64(capacity)), n, b.getInt64(capacity));
      }
      length = cg.opaque(length);
      auto *bounded = b.CreateICmpULE(length, b.getInt64(capacity));
      cg.if_then(bounded, [&] {
        cg.h_.call(cg.user_address(*v.type) ? Helper::ProbeReadUser : Helper::ProbeReadKernel,
                   {cg.byte_ptr(dst, 4), length, cg.to_i64(v)});
        b.CreateStore(b.CreateTrunc(length, b.getInt32Ty()), dst);
      });
    }
    return CgValue{dst, node.type};
  };
  table.functions["join"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto &b = cg.b_;
    auto argv = cg.to_i64(cg.gen(*node.args[0]));
    bool user = cg.user_address(*node.args[0]->type) || cg.probe_.kind->join_reads_user;
    auto element = Type::string(cg.script_.program.config.max_strlen);
    auto strings = Type::array(element, kJoinArguments);
    EventInfo info;
    info.kind = EventKind::Join;
    info.format =
        node.args.size() == 2 ? static_cast<ast::StringLiteral &>(*node.args[1]).value : " ";
    info.args = cg.layout_args({strings}, info.size);
    size_t index = cg.add_event(std::move(info));
    uint64_t record_size = cg.script_.out.events[index].size;
    auto *record = cg.slot(record_size);
    cg.zero(record, record_size);
    b.CreateStore(b.getInt64(index), record);
    auto *pointer = cg.slot(8);
    for (uint64_t i = 0; i < kJoinArguments; i++) {
      b.CreateStore(b.getInt64(0), pointer);
      cg.read_memory(pointer, 8, b.CreateAdd(argv, b.getInt64(8 * i)), user);
      auto *p = b.CreateLoad(b.getInt64Ty(), pointer);
      auto *dst = cg.byte_ptr(record, 8 + i * element->size);
      cg.if_then(b.CreateICmpNE(p, b.getInt64(0)), [&] {
        cg.h_.call(user ? Helper::ProbeReadUserStr : Helper::ProbeReadKernelStr,
                   {dst, b.getInt64(element->size), p});
      });
    }
    cg.output_record(record, record_size);
    return cg.no_value(node);
  };
  table.functions["path"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto v = cg.to_i64(cg.gen(*node.args[0]));
    // bpf_d_path is allowed in tracing programs only.
    if (cg.probe_.kind->context != ProbeContext::BtfArguments)
      return cg.walk_path(v, node.type);
    auto *dst = cg.slot(node.type->size);
    cg.zero(dst, node.type->size);
    cg.h_.call(static_cast<Helper>(kDPath), {v, dst, cg.b_.getInt64(node.type->size)});
    return CgValue{dst, node.type};
  };
  table.functions["signal"] = [](ProgramCodegen &cg, ast::Call &node) {
    bool thread = node.name == "signal_thread";
    llvm::Value *sig;
    if (auto *lit = dynamic_cast<ast::StringLiteral *>(node.args[0].get())) {
      int number = signal_number(lit->value);
      if (!number)
        throw std::runtime_error(node.name + "(): unknown signal '" + lit->value + "'");
      sig = cg.b_.getInt64(number);
    } else {
      sig = cg.to_i64(cg.gen(*node.args[0]));
    }
    cg.h_.call(static_cast<Helper>(thread ? kSendSignalThread : kSendSignal), {sig});
    return cg.no_value(node);
  };
  table.functions["signal_thread"] = table.functions["signal"];
  // A switch over the signal numbers storing each name; others give "".
  table.functions["signal_name"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto &b = cg.b_;
    auto *number = cg.to_i64(cg.gen(*node.args[0]));
    auto *dst = cg.slot(sema::kSignalNameSize);
    cg.zero(dst, sema::kSignalNameSize);
    auto *done = cg.new_block("signal_named");
    auto *sw = b.CreateSwitch(number, done);
    for (int sig = 1; sig < SIGRTMIN; sig++) {
      const char *abbrev = sigabbrev_np(sig);
      if (!abbrev)
        continue;
      std::string name = std::string("SIG") + abbrev;
      auto *block = cg.new_block("signal_" + std::to_string(sig));
      sw->addCase(b.getInt64(sig), block);
      b.SetInsertPoint(block);
      for (size_t i = 0; i < name.size() && i + 1 < sema::kSignalNameSize; i++)
        b.CreateStore(b.getInt8(static_cast<uint8_t>(name[i])), cg.byte_ptr(dst, i));
      b.CreateBr(done);
    }
    b.SetInsertPoint(done);
    return CgValue{dst, node.type};
  };
  table.functions["write_user"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto dst = cg.to_i64(cg.gen(*node.args[0]));
    auto src = cg.gen(*node.args[1]);
    auto *bytes = cg.to_memory(src, *src.type);
    auto *len = cg.to_i64(cg.gen(*node.args[2]));
    // At most the source's own bytes.
    auto *within = cg.b_.CreateSelect(cg.b_.CreateICmpULT(len, cg.b_.getInt64(src.type->size)), len,
                                      cg.b_.getInt64(src.type->size));
    auto *result = cg.h_.call(static_cast<Helper>(kProbeWriteUser), {dst, bytes, within});
    return CgValue{
        cg.b_.CreateZExt(cg.b_.CreateICmpEQ(result, cg.b_.getInt64(0)), cg.b_.getInt64Ty()),
        node.type};
  };
  table.functions["is_err"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto *address = cg.to_i64(cg.gen(*node.args[0]));
    auto *is_err = cg.b_.CreateICmpUGE(address, cg.b_.getInt64(static_cast<uint64_t>(-4095)));
    return CgValue{cg.b_.CreateZExt(is_err, cg.b_.getInt64Ty()), node.type};
  };
  table.functions["socket_cookie"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto *sk = cg.to_i64(cg.gen(*node.args[0]));
    return CgValue{cg.h_.call(static_cast<Helper>(kGetSocketCookie), {sk}), node.type};
  };
  table.functions["override"] = [](ProgramCodegen &cg, ast::Call &node) {
    auto rc = cg.to_i64(cg.gen(*node.args[0]));
    cg.h_.call(static_cast<Helper>(kOverrideReturn), {cg.ctx_, rc});
    return cg.no_value(node);
  };
}

} // namespace sonde::codegen
