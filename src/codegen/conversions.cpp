// Lowering of bswap, strftime, ntop, pton, strerror, syscall_name,
// cgroup_path, cgroupid, macaddr, buf, sizeof, offsetof, join, path, signal,
// override.
#include "codegen/program_codegen.h"
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

constexpr int kSendSignal = 109;
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
  auto *result = h_.call(user ? Helper::ProbeReadUser : Helper::ProbeReadKernel,
                         {dst, b_.getInt64(size), address});
  check_helper(user ? "probe_read_user" : "probe_read_kernel", result);
}

bool ProgramCodegen::user_address(const types::Type &type) const {
  if (type.kind == Kind::Pointer)
    return type.user_space;
  return probe_.kind->address_space == AddressSpace::User;
}

bool ProgramCodegen::lower_conversion_call(ast::Call &node) {
  const std::string &name = node.name;
  auto *i64 = b_.getInt64Ty();
  if (name == "getopt") {
    const auto &option = static_cast<ast::StringLiteral &>(*node.args[0]).value;
    auto given = sema::named_param(script_.program.named_params, option);
    if (node.type->kind == Kind::String) {
      ast::StringLiteral text;
      text.value = given ? *given : static_cast<ast::StringLiteral &>(*node.args[1]).value;
      text.type = node.type;
      visit(text);
      return true;
    }
    int64_t value = 0;
    if (node.type->kind == Kind::Bool) {
      auto *default_value =
          node.args.size() == 2 ? dynamic_cast<ast::BoolLiteral *>(node.args[1].get()) : nullptr;
      // A flag is true when given bare or as --name=true/1.
      value = given ? (given->empty() || *given == "true" || *given == "1")
                    : (default_value && default_value->value);
    } else {
      value = given ? std::strtoll(given->c_str(), nullptr, 0)
                    : static_cast<int64_t>(static_cast<ast::IntegerLiteral &>(*node.args[1]).value);
    }
    result_ = {b_.getInt64(static_cast<uint64_t>(value)), node.type};
    return true;
  }
  if (name == "bswap") {
    auto v = to_i64(gen(*node.args[0]));
    unsigned bits = static_cast<unsigned>(node.type->size * 8);
    if (bits == 8) {
      result_ = {v, node.type};
      return true;
    }
    auto *narrow = b_.CreateTrunc(v, b_.getIntNTy(bits));
    auto *swapped = b_.CreateUnaryIntrinsic(llvm::Intrinsic::bswap, narrow);
    result_ = {b_.CreateZExt(swapped, i64), node.type};
    return true;
  }
  if (name == "strftime") {
    auto ns = to_i64(gen(*node.args[1]));
    result_ = {b_.CreateAdd(ns, b_.getInt64(script_.options.realtime_offset_ns)), node.type};
    return true;
  }
  if (name == "strerror" || name == "syscall_name" || name == "cgroup_path") {
    result_ = {to_i64(gen(*node.args[0])), node.type};
    return true;
  }
  if (name == "cgroupid") {
    const auto &path = static_cast<ast::StringLiteral &>(*node.args[0]).value;
    struct stat st {};
    if (stat(path.c_str(), &st) != 0)
      throw std::runtime_error("cgroupid(): cannot stat " + path + ": " + std::strerror(errno));
    result_ = {b_.getInt64(st.st_ino), node.type};
    return true;
  }
  if (name == "sizeof") {
    result_ = {b_.getInt64(node.args[0]->type->size), node.type};
    return true;
  }
  if (name == "offsetof") {
    const auto &field_name = static_cast<ast::Identifier &>(*node.args[1]).name;
    uint64_t offset = 0;
    for (const auto &f : node.args[0]->type->fields)
      if (f.name == field_name)
        offset = f.offset;
    result_ = {b_.getInt64(offset), node.type};
    return true;
  }
  if (name == "pton") {
    const auto &text = static_cast<ast::StringLiteral &>(*node.args[0]).value;
    unsigned char bytes[16] = {};
    inet_pton(node.type->size == 4 ? AF_INET : AF_INET6, text.c_str(), bytes);
    auto *dst = slot(node.type->size);
    for (uint64_t i = 0; i < node.type->size; i++)
      b_.CreateStore(b_.getInt8(bytes[i]), byte_ptr(dst, i));
    result_ = {dst, node.type};
    return true;
  }
  if (name == "ntop") {
    auto &addr_arg = *node.args.back();
    auto addr = gen(addr_arg);
    auto *dst = slot(node.type->size);
    zero(dst, node.type->size);
    llvm::Value *family = b_.getInt64(AF_INET);
    if (node.args.size() == 2)
      family = to_i64(gen(*node.args[0]));
    else if (addr.type->kind == Kind::Array && addr.type->size == 16)
      family = b_.getInt64(AF_INET6);
    b_.CreateStore(family, dst);
    auto *data = byte_ptr(dst, 8);
    if (addr.type->kind == Kind::Array) {
      copy(data, addr.value, addr.type->size);
    } else if (addr.type->kind == Kind::Pointer) {
      auto *is_v6 = b_.CreateICmpEQ(family, b_.getInt64(AF_INET6));
      auto *size = b_.CreateSelect(is_v6, b_.getInt64(16), b_.getInt64(4));
      h_.call(user_address(*addr.type) ? Helper::ProbeReadUser : Helper::ProbeReadKernel,
              {data, size, to_i64(addr)});
    } else {
      // An IPv4 address as an integer is already in network byte order.
      b_.CreateStore(b_.CreateTrunc(to_i64(addr), b_.getInt32Ty()), data);
    }
    result_ = {dst, node.type};
    return true;
  }
  if (name == "macaddr") {
    auto v = gen(*node.args[0]);
    auto *dst = slot(8);
    zero(dst, 8);
    if (v.type->kind == Kind::Array)
      copy(dst, v.value, std::min<uint64_t>(6, v.type->size));
    else
      read_memory(dst, 6, to_i64(v), user_address(*v.type));
    result_ = {dst, node.type};
    return true;
  }
  if (name == "buf") {
    auto v = gen(*node.args[0]);
    uint64_t capacity = node.type->size - 4;
    auto *dst = slot(node.type->size);
    zero(dst, node.type->size);
    if (v.type->kind == Kind::Array || v.type->kind == Kind::String) {
      // Bytes past the value's end read as zeros: buf("ab", 4) is "ab\0\0".
      copy(byte_ptr(dst, 4), v.value, std::min(capacity, v.type->size));
      llvm::Value *length = b_.getInt64(capacity);
      if (node.args.size() == 2) {
        auto *n = to_i64(gen(*node.args[1]));
        length = b_.CreateSelect(b_.CreateICmpULT(n, length), n, length);
      }
      b_.CreateStore(b_.CreateTrunc(length, b_.getInt32Ty()), dst);
    } else {
      llvm::Value *length = b_.getInt64(capacity);
      if (node.args.size() == 2) {
        auto *n = to_i64(gen(*node.args[1]));
        length =
            b_.CreateSelect(b_.CreateICmpULT(n, b_.getInt64(capacity)), n, b_.getInt64(capacity));
      }
      length = opaque(length);
      auto *bounded = b_.CreateICmpULE(length, b_.getInt64(capacity));
      if_then(bounded, [&] {
        h_.call(user_address(*v.type) ? Helper::ProbeReadUser : Helper::ProbeReadKernel,
                {byte_ptr(dst, 4), length, to_i64(v)});
        b_.CreateStore(b_.CreateTrunc(length, b_.getInt32Ty()), dst);
      });
    }
    result_ = {dst, node.type};
    return true;
  }
  if (name == "join") {
    auto argv = to_i64(gen(*node.args[0]));
    bool user = user_address(*node.args[0]->type) || probe_.kind->join_reads_user;
    auto element = Type::string(script_.program.config.max_strlen);
    auto strings = Type::array(element, kJoinArguments);
    EventInfo info;
    info.kind = EventKind::Join;
    info.format =
        node.args.size() == 2 ? static_cast<ast::StringLiteral &>(*node.args[1]).value : " ";
    info.args = layout_args({strings}, info.size);
    size_t index = add_event(std::move(info));
    auto *record = slot(script_.out.events[index].size);
    zero(record, script_.out.events[index].size);
    b_.CreateStore(b_.getInt64(index), record);
    auto *pointer = slot(8);
    for (uint64_t i = 0; i < kJoinArguments; i++) {
      b_.CreateStore(b_.getInt64(0), pointer);
      read_memory(pointer, 8, b_.CreateAdd(argv, b_.getInt64(8 * i)), user);
      auto *p = b_.CreateLoad(i64, pointer);
      auto *dst = byte_ptr(record, 8 + i * element->size);
      if_then(b_.CreateICmpNE(p, b_.getInt64(0)), [&] {
        h_.call(user ? Helper::ProbeReadUserStr : Helper::ProbeReadKernelStr,
                {dst, b_.getInt64(element->size), p});
      });
    }
    output_record(record, script_.out.events[index].size);
    return true;
  }
  if (name == "path") {
    auto v = to_i64(gen(*node.args[0]));
    // bpf_d_path is allowed in tracing programs only.
    if (probe_.kind->context != ProbeContext::BtfArguments) {
      result_ = walk_path(v, node.type);
      return true;
    }
    auto *dst = slot(node.type->size);
    zero(dst, node.type->size);
    h_.call(static_cast<Helper>(kDPath), {v, dst, b_.getInt64(node.type->size)});
    result_ = {dst, node.type};
    return true;
  }
  if (name == "signal") {
    llvm::Value *sig;
    if (auto *lit = dynamic_cast<ast::StringLiteral *>(node.args[0].get())) {
      int number = signal_number(lit->value);
      if (!number)
        throw std::runtime_error("signal(): unknown signal '" + lit->value + "'");
      sig = b_.getInt64(number);
    } else {
      sig = to_i64(gen(*node.args[0]));
    }
    h_.call(static_cast<Helper>(kSendSignal), {sig});
    return true;
  }
  if (name == "override") {
    auto rc = to_i64(gen(*node.args[0]));
    h_.call(static_cast<Helper>(kOverrideReturn), {ctx_, rc});
    return true;
  }
  return false;
}

} // namespace sonde::codegen
