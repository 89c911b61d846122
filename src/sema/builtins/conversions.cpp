// Functions that turn a value into another form: bswap, strftime, ntop, pton,
// strerror, syscall_name, cgroup_path, cgroupid, macaddr, buf, sizeof,
// offsetof, path, join.
#include "sema/builtins.h"
#include "sema/named_params.h"

#include <arpa/inet.h>

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

const ast::StringLiteral *string_literal_arg(TypeChecker &tc, ast::Expr &arg,
                                             const std::string &function) {
  tc.check(arg);
  auto *lit = dynamic_cast<ast::StringLiteral *>(&arg);
  if (!lit)
    tc.error(arg.loc, function + "() expects a string literal here");
  return lit;
}

// Functions of one integer returning a value formatted by the runtime.
FunctionRule formatted_integer(Kind kind) {
  return [kind](TypeChecker &tc, ast::Call &call, bool) {
    if (expect_arg_count(tc, call, 1, 1))
      expect_integer_arg(tc, *call.args[0], call.name);
    return Type::simple(kind);
  };
}

// cgroup_path(id [, filter]): the filter, a wildcard over hierarchy names,
// travels in the type's name to the formatter.
TypePtr check_cgroup_path(TypeChecker &tc, ast::Call &call, bool) {
  auto path = std::make_shared<Type>(*Type::simple(Kind::CgroupPath));
  if (!expect_arg_count(tc, call, 1, 2))
    return path;
  expect_integer_arg(tc, *call.args[0], "cgroup_path");
  if (call.args.size() == 2) {
    if (auto *filter = string_literal_arg(tc, *call.args[1], "cgroup_path"))
      path->name = filter->value;
  }
  return path;
}

TypePtr check_bswap(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 1) || !expect_integer_arg(tc, *call.args[0], "bswap"))
    return Type::integer(8, false);
  auto t = call.args[0]->type;
  return Type::integer(t->kind == Kind::Bool ? 1 : t->size, false);
}

TypePtr check_strftime(TypeChecker &tc, ast::Call &call, bool) {
  auto stamp = std::make_shared<Type>(*Type::simple(Kind::Timestamp));
  if (!expect_arg_count(tc, call, 2, 2))
    return stamp;
  if (auto *fmt = string_literal_arg(tc, *call.args[0], "strftime"))
    stamp->name = fmt->value;
  expect_integer_arg(tc, *call.args[1], "strftime");
  return stamp;
}

TypePtr check_ntop(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 2))
    return Type::simple(Kind::Inet);
  if (call.args.size() == 2)
    expect_integer_arg(tc, *call.args[0], "ntop");
  auto t = tc.check(*call.args.back());
  bool ok = t->is_integer_like() || (t->kind == Kind::Array && (t->size == 4 || t->size == 16)) ||
            t->kind == Kind::Pointer;
  if (!ok)
    tc.error(call.args.back()->loc, "ntop() expects an IPv4 integer, a 4- or 16-byte array or "
                                    "a pointer, got '" +
                                        t->display_name() + "'");
  return Type::simple(Kind::Inet);
}

TypePtr check_pton(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 1))
    return Type::array(Type::integer(1, false), 4);
  auto *lit = string_literal_arg(tc, *call.args[0], "pton");
  if (!lit)
    return Type::array(Type::integer(1, false), 4);
  unsigned char bytes[16];
  if (inet_pton(AF_INET, lit->value.c_str(), bytes) == 1)
    return Type::array(Type::integer(1, false), 4);
  if (inet_pton(AF_INET6, lit->value.c_str(), bytes) == 1)
    return Type::array(Type::integer(1, false), 16);
  tc.error(lit->loc, "pton(): '" + lit->value + "' is not an IPv4 or IPv6 address");
  return Type::array(Type::integer(1, false), 4);
}

TypePtr check_cgroupid(TypeChecker &tc, ast::Call &call, bool) {
  if (expect_arg_count(tc, call, 1, 1))
    string_literal_arg(tc, *call.args[0], "cgroupid");
  return Type::integer(8, false);
}

TypePtr check_macaddr(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 1))
    return Type::simple(Kind::MacAddr);
  auto t = tc.check(*call.args[0]);
  // A `char mac[6]` member reads as a string of 6 bytes.
  bool char_array = t->kind == Kind::String && t->size == 6;
  if (t->kind != Kind::Pointer && t->kind != Kind::Array && !t->is_integer_like() && !char_array)
    tc.error(call.args[0]->loc, "macaddr() expects a pointer or an array of 6 bytes");
  return Type::simple(Kind::MacAddr);
}

TypePtr check_buf(TypeChecker &tc, ast::Call &call, bool) {
  uint64_t size = tc.config().max_strlen;
  if (!expect_arg_count(tc, call, 1, 2))
    return Type::buffer(size);
  auto t = tc.check(*call.args[0]);
  bool in_place = t->kind == Kind::Array || t->kind == Kind::String; // bytes of a value
  if (in_place && call.args.size() == 1)
    size = t->size;
  else if (t->kind != Kind::Pointer && !t->is_integer_like() && !in_place)
    tc.error(call.args[0]->loc, "buf() expects a pointer, an array or a string");
  else if (call.args.size() == 1)
    tc.error(call.loc, "buf() of a pointer needs a length: buf(p, n)");
  if (call.args.size() == 2) {
    if (auto *lit = dynamic_cast<ast::IntegerLiteral *>(call.args[1].get())) {
      tc.check(*lit);
      size = std::min<uint64_t>(lit->value, size);
    } else {
      expect_integer_arg(tc, *call.args[1], "buf");
    }
  }
  return Type::buffer(size);
}

TypePtr check_sizeof(TypeChecker &tc, ast::Call &call, bool) {
  if (expect_arg_count(tc, call, 1, 1))
    tc.check(*call.args[0]);
  return Type::integer(8, false);
}

TypePtr check_offsetof(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 2, 2))
    return Type::integer(8, false);
  auto t = tc.check(*call.args[0]);
  if (t->kind != Kind::Struct && t->kind != Kind::Record)
    tc.error(call.args[0]->loc, "offsetof() expects a struct type");
  auto *field = dynamic_cast<ast::Identifier *>(call.args[1].get());
  if (!field) {
    tc.error(call.args[1]->loc, "offsetof() expects a field name");
  } else {
    // A path through embedded structs ("b.c") adds up the offsets.
    field->type = Type::none();
    uint64_t offset = 0;
    std::string_view path = field->name;
    while (t->kind == Kind::Struct || t->kind == Kind::Record) {
      std::string_view name = path.substr(0, path.find('.'));
      auto found = std::find_if(t->fields.begin(), t->fields.end(),
                                [&](const types::Field &f) { return f.name == name; });
      if (found == t->fields.end()) {
        tc.error(field->loc,
                 "'" + t->display_name() + "' has no field named '" + std::string(name) + "'");
        break;
      }
      offset += found->offset;
      if (name.size() == path.size()) {
        field->constant = static_cast<int64_t>(offset);
        break;
      }
      path.remove_prefix(name.size() + 1);
      t = found->type;
    }
  }
  return Type::integer(8, false);
}

TypePtr check_join(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 2))
    return Type::none();
  auto t = tc.check(*call.args[0]);
  if (t->kind != Kind::Pointer && !t->is_integer_like())
    tc.error(call.args[0]->loc, "join() expects a pointer to an array of strings (char **)");
  if (call.args.size() == 2)
    string_literal_arg(tc, *call.args[1], "join");
  return Type::none();
}

TypePtr check_path(TypeChecker &tc, ast::Call &call, bool) {
  if (expect_arg_count(tc, call, 1, 2)) {
    auto t = tc.check(*call.args[0]);
    if (t->kind != Kind::Pointer && !t->is_integer_like())
      tc.error(call.args[0]->loc, "path() expects a pointer to a struct path");
  }
  return Type::string(tc.config().max_strlen);
}

// signal(sig) to the process, signal_thread(sig) to the thread.
TypePtr check_signal(TypeChecker &tc, ast::Call &call, bool) {
  if (!tc.options().unsafe)
    tc.error(call.loc, call.name + "() is an unsafe function: run with --unsafe to allow it");
  if (expect_arg_count(tc, call, 1, 1)) {
    auto t = tc.check(*call.args[0]);
    if (!t->is_integer_like() && t->kind != Kind::String)
      tc.error(call.args[0]->loc, call.name + "() expects a signal number or name");
  }
  return Type::none();
}

// The name of a signal number, as SIGINT.
TypePtr check_signal_name(TypeChecker &tc, ast::Call &call, bool) {
  if (expect_arg_count(tc, call, 1, 1))
    expect_integer_arg(tc, *call.args[0], "signal_name");
  return Type::string(kSignalNameSize);
}

TypePtr check_write_user(TypeChecker &tc, ast::Call &call, bool) {
  if (!tc.options().unsafe)
    tc.error(call.loc, "write_user() is an unsafe function: run with --unsafe to allow it");
  if (!expect_arg_count(tc, call, 3, 3))
    return Type::boolean();
  auto dst = tc.check(*call.args[0]);
  if (dst->kind != Kind::Pointer && !dst->is_integer_like())
    tc.error(call.args[0]->loc, "write_user() expects a user address to write to");
  auto src = tc.check(*call.args[1]);
  if (src->kind == Kind::None || src->is_aggregation())
    tc.error(call.args[1]->loc, "write_user() expects a value to write");
  expect_integer_arg(tc, *call.args[2], "write_user");
  return Type::boolean();
}

// is_err(p): whether a kernel pointer encodes an error number (IS_ERR).
TypePtr check_is_err(TypeChecker &tc, ast::Call &call, bool) {
  if (expect_arg_count(tc, call, 1, 1)) {
    auto t = tc.check(*call.args[0]);
    if (t->kind != Kind::Pointer && !t->is_integer_like())
      tc.error(call.args[0]->loc, "is_err() expects a pointer, got '" + t->display_name() + "'");
  }
  return Type::boolean();
}

// socket_cookie(sk) reads a BTF-typed socket: only fentry/fexit give one.
TypePtr check_socket_cookie(TypeChecker &tc, ast::Call &call, bool) {
  if (tc.probe_kind().context != ProbeContext::BtfArguments)
    tc.error(call.loc, "socket_cookie() needs a BTF-typed struct sock *, which only fentry and "
                       "fexit probes have");
  if (expect_arg_count(tc, call, 1, 1)) {
    auto t = tc.check(*call.args[0]);
    if (t->kind != Kind::Pointer)
      tc.error(call.args[0]->loc, "socket_cookie() expects a struct sock *");
  }
  return Type::integer(8, false);
}

bool overrides_return(const ProbeKind &kind) { return kind.can_override_return; }

TypePtr check_override(TypeChecker &tc, ast::Call &call, bool) {
  if (!tc.options().unsafe)
    tc.error(call.loc, "override() is an unsafe function: run with --unsafe to allow it");
  if (!tc.probe_kind().can_override_return)
    tc.error(call.loc,
             "override() is only available in " + probe_kind_names(overrides_return) + " probes");
  if (expect_arg_count(tc, call, 1, 1))
    expect_integer_arg(tc, *call.args[0], "override");
  return Type::none();
}

// getopt("name"[, default[, "description"]]): a named parameter given after
// the script as --name=value (or --name, a flag), typed like its default (a
// flag without one). Resolved when the script is compiled.
TypePtr check_getopt(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 3))
    return Type::boolean();
  auto *name = string_literal_arg(tc, *call.args[0], "getopt");
  TypePtr t = Type::boolean();
  if (call.args.size() >= 2) {
    if (call.args.size() == 3)
      string_literal_arg(tc, *call.args[2], "getopt");
    // `-1`: one literal, for codegen to read.
    if (auto *negative = dynamic_cast<ast::Unary *>(call.args[1].get());
        negative && negative->op == ast::UnaryOp::Neg)
      if (auto *integer = dynamic_cast<ast::IntegerLiteral *>(negative->operand.get())) {
        auto folded = std::make_unique<ast::IntegerLiteral>();
        folded->loc = negative->loc;
        folded->value = 0 - integer->value;
        call.args[1] = std::move(folded);
      }
    t = tc.check(*call.args[1]);
    auto *arg = call.args[1].get();
    bool literal = dynamic_cast<ast::IntegerLiteral *>(arg) ||
                   dynamic_cast<ast::StringLiteral *>(arg) || dynamic_cast<ast::BoolLiteral *>(arg);
    if (!literal) {
      tc.error(arg->loc, "getopt() expects a literal default: an integer, a string or a bool");
      return Type::boolean();
    }
  }
  if (t->kind == Kind::String)
    return Type::string(tc.config().max_strlen);
  auto value = name ? named_param(tc.options().named_params, name->value) : std::nullopt;
  if (value) {
    // An integer option takes true and false too, as 1 and 0.
    char *end = nullptr;
    std::strtoll(value->c_str(), &end, 0);
    bool integer = t->kind == Kind::Integer && !value->empty() && *end == '\0';
    if (!integer && !named_param_bool(*value))
      tc.error(call.loc, "getopt(): --" + name->value + " expects " +
                             (t->kind == Kind::Integer ? "an integer" : "true or false") +
                             ", got '" + *value + "'");
  }
  return t->kind == Kind::Bool ? Type::boolean() : Type::integer(8, true);
}

} // namespace

void register_conversion_functions(FunctionTable &table) {
  table["getopt"] = check_getopt;
  table["bswap"] = check_bswap;
  table["strftime"] = check_strftime;
  table["ntop"] = check_ntop;
  table["pton"] = check_pton;
  table["strerror"] = formatted_integer(Kind::Errno);
  table["syscall_name"] = formatted_integer(Kind::SyscallName);
  table["cgroup_path"] = check_cgroup_path;
  table["cgroupid"] = check_cgroupid;
  table["macaddr"] = check_macaddr;
  table["buf"] = check_buf;
  table["sizeof"] = check_sizeof;
  table["offsetof"] = check_offsetof;
  table["join"] = check_join;
  table["path"] = check_path;
  table["signal"] = check_signal;
  table["signal_thread"] = check_signal;
  table["signal_name"] = check_signal_name;
  table["write_user"] = check_write_user;
  table["is_err"] = check_is_err;
  table["socket_cookie"] = check_socket_cookie;
  table["override"] = check_override;
}

} // namespace sonde::sema
