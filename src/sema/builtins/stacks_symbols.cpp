// kstack, ustack, ksym, usym, kaddr, uaddr, reg, kptr, uptr: kernel and user
// addresses and the names behind them.
#include "common/registers.h"
#include "common/uprobe_location.h"
#include "sema/builtins.h"
#include "types/btf_types.h"

#include <optional>

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

bool in_user_space(const ProbeKind &kind) { return kind.address_space == AddressSpace::User; }

// kstack(), kstack(N), kstack(mode), kstack(mode, N); the mode is bpftrace,
// perf, raw or folded (sonde's: one line for flame graph tools), and for
// ustack build_id (file build ids and offsets, unsymbolized). The mode
// travels in Type::name and the limit in Type::count.
FunctionRule stack(Kind kind) {
  return [kind](TypeChecker &tc, ast::Call &call, bool) -> TypePtr {
    auto stack_type = std::make_shared<Type>(*Type::simple(kind));
    if (!expect_arg_count(tc, call, 0, 2))
      return stack_type;
    size_t next = 0;
    if (!call.args.empty()) {
      if (auto *mode = dynamic_cast<ast::Identifier *>(call.args[0].get())) {
        bool user = kind == Kind::UStack;
        if (mode->name != "bpftrace" && mode->name != "perf" && mode->name != "raw" &&
            mode->name != "folded" && !(user && mode->name == "build_id"))
          tc.error(mode->loc, call.name + "(): unknown stack mode '" + mode->name +
                                  "' (expected bpftrace, perf, raw" + (user ? ", build_id" : "") +
                                  " or folded)");
        stack_type->name = mode->name;
        mode->type = Type::none();
        next = 1;
      }
    }
    if (next < call.args.size()) {
      auto limit = constant_integer_arg(tc, *call.args[next], call.name);
      if (limit && (*limit < 1 || *limit > 127))
        tc.error(call.args[next]->loc, call.name + "(): the frame limit must be 1 to 127");
      else if (limit)
        stack_type->count = static_cast<uint64_t>(*limit);
    }
    return stack_type;
  };
}

TypePtr check_ksym(TypeChecker &tc, ast::Call &call, bool) {
  if (expect_arg_count(tc, call, 1, 1)) {
    auto t = tc.check(*call.args[0]);
    if (!t->is_integer_like() && t->kind != Kind::Pointer)
      tc.error(call.args[0]->loc,
               call.name + "() expects an address, got '" + t->display_name() + "'");
  }
  return Type::simple(call.name == "ksym" ? Kind::Ksym : Kind::Usym);
}

// The address a uprobe target's function field probes in its binary
// (`main`, `main+4`, `0x1139`), or nothing for a line or a name not found.
std::optional<uint64_t> probed_address(TypeChecker &tc, const ProbeTarget &target) {
  if (target.fields.size() != 2)
    return std::nullopt;
  auto location = parse_uprobe_location(target.fields[1]);
  if (!location)
    return std::nullopt;
  if (location->is_address)
    return location->offset;
  auto symbol = tc.options().resolve_symbol(location->symbol, target.fields[0]);
  return symbol ? std::optional(symbol->address + location->offset) : std::nullopt;
}

// uaddr() in a PIE or a shared library: codegen finds the load base from
// where the probe fired, so it needs each target's probed address (uprobes
// and uretprobes; a usdt probe's sites share one target).
void record_probed_addresses(TypeChecker &tc) {
  if (!tc.probe_kind().has_func || !in_user_space(tc.probe_kind()))
    return;
  for (const ProbeTarget &target : tc.instance().targets) {
    if (tc.probed_addresses().count(target.spec))
      continue;
    if (auto address = probed_address(tc, target))
      tc.probed_addresses().emplace(target.spec, *address);
  }
}

// kaddr(name) is the address as an integer; uaddr(name) a user pointer to
// an integer as wide as the symbol (1, 2 or 4 bytes, else 8), in the binary
// of the probe.
TypePtr check_symbol_address(TypeChecker &tc, ast::Call &call, bool) {
  bool user = call.name == "uaddr";
  auto result = user ? Type::pointer(Type::integer(8, true), true) : Type::integer(8, false);
  if (!expect_arg_count(tc, call, 1, 1))
    return result;
  tc.check(*call.args[0]);
  // `str($1)`, whose parameter has become a literal, names the symbol too.
  if (auto *str = dynamic_cast<ast::Call *>(call.args[0].get());
      str && str->name == "str" && str->args.size() == 1 &&
      dynamic_cast<ast::StringLiteral *>(str->args[0].get()))
    call.args[0] = std::move(str->args[0]);
  auto *name = dynamic_cast<ast::StringLiteral *>(call.args[0].get());
  if (!name) {
    tc.error(call.args[0]->loc, call.name + "() expects a symbol name as a string literal");
    return result;
  }
  const auto &targets = tc.instance().targets;
  if (user && (!tc.user_probe() || targets.empty() || targets[0].fields.empty())) {
    tc.error(call.loc,
             "uaddr() is only available in " + probe_kind_names(in_user_space) + " probes");
    return result;
  }
  if (!tc.options().resolve_symbol)
    return result;
  SymbolKey key{user ? targets[0].fields[0] : "", name->value};
  auto found = tc.symbols().find(key);
  if (found == tc.symbols().end()) {
    auto symbol = tc.options().resolve_symbol(key.second, key.first);
    if (!symbol) {
      // bpftrace's words.
      tc.error(call.args[0]->loc,
               key.first.empty() ? "Failed to resolve kernel symbol: " + key.second
                                 : "Could not resolve symbol: " + key.first + ":" + key.second);
      return result;
    }
    found = tc.symbols().emplace(key, *symbol).first;
  }
  if (!user)
    return result;
  if (found->second.load_relative)
    record_probed_addresses(tc);
  uint64_t size = found->second.size;
  size = size == 1 || size == 2 || size == 4 ? size : 8;
  return Type::pointer(Type::integer(size, true), true);
}

TypePtr check_reg(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 1))
    return Type::integer(8, false);
  tc.check(*call.args[0]);
  auto *name = dynamic_cast<ast::StringLiteral *>(call.args[0].get());
  if (!name)
    tc.error(call.args[0]->loc, "reg() expects a register name as a string literal");
  else if (!find_pt_regs_field(name->value))
    tc.error(call.args[0]->loc, "reg(): unknown register '" + name->value + "'");
  if (!tc.probe_kind().has_registers())
    tc.error(call.loc, "reg() is not available in " + tc.provider() + " probes");
  return Type::integer(8, false);
}

TypePtr check_address_space(TypeChecker &tc, ast::Call &call, bool) {
  if (!expect_arg_count(tc, call, 1, 1))
    return Type::integer(8, false);
  auto t = tc.check(*call.args[0]);
  bool user = call.name == "uptr";
  if (t->kind == Kind::Pointer)
    return Type::pointer(t->element, user);
  if (!t->is_integer_like())
    tc.error(call.args[0]->loc, call.name + "() expects a pointer or an integer address");
  return Type::pointer(Type::integer(8, false), user);
}

// percpu_kaddr(name[, cpu]): the address of a per-CPU kernel variable on
// this CPU or on CPU `cpu` (null past the last CPU), found in the kernel's
// BTF (typed ksyms need no kallsyms data symbols).
TypePtr check_percpu_kaddr(TypeChecker &tc, ast::Call &call, bool) {
  auto result = Type::pointer(Type::integer(8, false));
  if (!expect_arg_count(tc, call, 1, 2))
    return result;
  for (auto &arg : call.args)
    tc.check(*arg);
  auto *name = dynamic_cast<ast::StringLiteral *>(call.args[0].get());
  if (!name) {
    tc.error(call.args[0]->loc, "percpu_kaddr() expects a variable name as a string literal");
    return result;
  }
  if (call.args.size() == 2 && !is_integer(call.args[1]->type))
    tc.error(call.args[1]->loc, "percpu_kaddr(): the CPU must be an integer, got '" +
                                    call.args[1]->type->display_name() + "'");
  if (!types::KernelTypes::get().variable_type(name->value))
    tc.error(call.args[0]->loc,
             "percpu_kaddr(): the kernel's BTF has no variable '" + name->value + "'");
  else if (tc.options().resolve_symbol && !tc.options().resolve_symbol(name->value, ""))
    // The verifier finds the variable's address with kallsyms_lookup_name().
    tc.error(call.args[0]->loc,
             "percpu_kaddr(): the kernel cannot give the address of '" + name->value +
                 "': its kallsyms has no data symbols (built without CONFIG_KALLSYMS_ALL)");
  return result;
}

} // namespace

void register_symbol_functions(FunctionTable &table) {
  table["percpu_kaddr"] = check_percpu_kaddr;
  table["kstack"] = stack(Kind::KStack);
  table["ustack"] = stack(Kind::UStack);
  table["dw_ustack"] = stack(Kind::UStack);
  table["ksym"] = check_ksym;
  table["usym"] = check_ksym;
  table["kaddr"] = check_symbol_address;
  table["uaddr"] = check_symbol_address;
  table["reg"] = check_reg;
  table["kptr"] = check_address_space;
  table["uptr"] = check_address_space;
}

} // namespace sonde::sema
