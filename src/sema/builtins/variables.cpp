#include "sema/builtins.h"

#include <regex>

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

struct VariableRule {
  TypePtr (*type)(const Config &);
  // Whether the kind of probe has the variable; null: every kind has it.
  bool (*available)(const ProbeKind &) = nullptr;
};

TypePtr u64(const Config &) { return Type::integer(8, false); }
TypePtr u32(const Config &) { return Type::integer(4, false); }
TypePtr u8(const Config &) { return Type::integer(1, false); }
TypePtr i64(const Config &) { return Type::integer(8, true); }
TypePtr task_comm(const Config &) { return Type::string(16); }
TypePtr boolean(const Config &) { return Type::boolean(); }

bool has_retval(const ProbeKind &kind) { return kind.has_retval; }
bool has_func(const ProbeKind &kind) { return kind.has_func; }

const std::map<std::string, VariableRule> &variables() {
  static const std::map<std::string, VariableRule> rules = {
      {"pid", {u32, {}}},
      {"tid", {u32, {}}},
      {"uid", {u32, {}}},
      {"gid", {u32, {}}},
      {"nsecs", {u64, {}}},
      {"elapsed", {u64, {}}},
      {"cpu", {u32, {}}},
      {"numaid", {u32, {}}},
      {"comm", {task_comm, {}}},
      {"ppid", {u32, {}}},
      {"pcomm", {task_comm, {}}},
      {"leader_tid", {u32, {}}},
      {"leader_comm", {task_comm, {}}},
      {"usermode", {u8, {}}},
      {"has_cpid", {boolean, {}}},
      {"ctx", {u64, {}}},
      {"probe", {[](const Config &) { return Type::simple(Kind::ProbeName); }, {}}},
      {"probetype", {[](const Config &) { return Type::string(16); }, {}}},
      {"rand", {u32, {}}},
      {"cgroup", {u64, {}}},
      {"cpid", {u32, {}}},
      {"ncpus", {u64, {}}},
      {"jiffies", {u64, {}}},
      {"username", {[](const Config &) { return Type::simple(Kind::Username); }, {}}},
      {"curtask", {u64, {}}},
      {"kstack", {[](const Config &) { return Type::simple(Kind::KStack); }, {}}},
      {"ustack", {[](const Config &) { return Type::simple(Kind::UStack); }, {}}},
      {"dw_ustack", {[](const Config &) { return Type::simple(Kind::UStack); }, {}}},
      {"retval", {i64, has_retval}},
      {"func", {[](const Config &) { return Type::simple(Kind::Ksym); }, has_func}},
  };
  return rules;
}

} // namespace

bool reads_task_struct(const std::string &name) {
  return name == "ppid" || name == "pcomm" || name == "leader_tid" || name == "leader_comm";
}

std::string without_builtin_prefix(const std::string &name) {
  static const std::string prefix = "__builtin_";
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

std::optional<size_t> argument_index(const std::string &name) {
  static const std::regex arg_n("arg([0-9]+)");
  std::smatch m;
  if (!std::regex_match(name, m, arg_n))
    return std::nullopt;
  return std::stoul(m[1]);
}

std::vector<std::string> builtin_variable_names() {
  std::vector<std::string> names{"args", "arg0", "arg1", "arg2"};
  for (const auto &[name, _] : variables())
    names.push_back(name);
  return names;
}

TypePtr builtin_variable_type(TypeChecker &tc, ast::Identifier &node) {
  if (auto bare = without_builtin_prefix(node.name);
      bare != node.name && (variables().count(bare) || bare == "args" || argument_index(bare)))
    node.name = bare;
  const ProbeKind &kind = tc.probe_kind();
  const std::string &provider = tc.provider();
  if (node.name == "args") {
    if (!tc.instance().args) {
      std::string hint = kind.args_from_debug_info
                             ? provider + " args come from the binary's debug info, which does "
                                          "not describe this function's parameters"
                             : "";
      tc.error(node.loc, "args is not available in " + provider + " probes", hint);
      return Type::integer(8, true);
    }
    tc.mark_reads_args();
    return tc.instance().args;
  }
  auto index = argument_index(node.name);
  if (index && kind.arguments == ArgumentSource::UsdtOperands) {
    const auto &arguments = tc.instance().usdt_arguments;
    if (*index >= arguments.size()) {
      tc.error(node.loc, node.name + " is not an argument of this " + provider + " probe: it has " +
                             std::to_string(arguments.size()));
      return Type::integer(8, false);
    }
    return Type::integer(arguments[*index].size, arguments[*index].is_signed);
  }
  if (index) {
    if (kind.arguments == ArgumentSource::None) {
      std::string hint = kind.has_args() ? provider + " arguments are args.<field>" : "";
      tc.error(node.loc, node.name + " is not available in " + provider + " probes", hint);
    }
    return Type::integer(8, false);
  }
  if (node.name == "func" && kind.has_func && kind.address_space == AddressSpace::User)
    return Type::simple(Kind::Usym);
  if (node.name == "curtask") {
    if (auto task = tc.types().find("struct task_struct"))
      return Type::pointer(task);
  }
  if (node.name == "ctx" && kind.has_registers()) {
    if (auto regs = tc.types().find("struct pt_regs"))
      return Type::pointer(regs);
  }
  if (reads_task_struct(node.name) && !tc.types().find("struct task_struct"))
    tc.error(node.loc, node.name + " reads struct task_struct, which this kernel's BTF lacks");
  auto it = variables().find(node.name);
  if (it == variables().end())
    return nullptr;
  if (it->second.available && !it->second.available(kind))
    tc.error(node.loc, node.name + " is not available in " + provider + " probes",
             node.name + " is available in " + probe_kind_names(it->second.available) + " probes");
  if (node.name == "cpid" && !tc.options().has_child)
    tc.error(node.loc, "cpid is only available with -c");
  return it->second.type(tc.config());
}

namespace {

// The names a mode argument may take: pid(init), nsecs(tai), …
const std::map<std::string, std::vector<std::string>> &call_modes() {
  static const std::map<std::string, std::vector<std::string>> modes = {
      {"pid", {"curr_ns", "init"}},
      {"tid", {"curr_ns", "init"}},
      {"nsecs", {"boot", "monotonic", "tai", "sw_tai"}},
  };
  return modes;
}

std::string joined(const std::vector<std::string> &names) {
  std::string text;
  for (size_t i = 0; i < names.size(); i++)
    text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return text;
}

// pid(), comm(), __builtin_comm, ppid(task), nsecs(tai), …: a builtin
// variable called as a function, with the argument some of them take.
TypePtr check_variable_call(TypeChecker &tc, ast::Call &call, bool) {
  ast::Identifier variable;
  variable.name = without_builtin_prefix(call.name);
  variable.loc = call.loc;
  bool takes_task = reads_task_struct(variable.name);
  bool takes_pid = variable.name == "comm";
  auto modes = call_modes().find(variable.name);
  size_t max_args = takes_task || takes_pid || modes != call_modes().end() ? 1 : 0;
  if (!expect_arg_count(tc, call, 0, max_args) || call.args.empty())
    return builtin_variable_type(tc, variable);
  auto &arg = *call.args[0];
  if (takes_pid) {
    // comm(pid): the name of the task with that pid, read through the
    // task kfuncs, which only some program types may call.
    if (!is_integer(tc.check(arg)))
      tc.error(arg.loc, call.name + "() expects a pid (an integer)");
    if (!tc.probe_kind().task_kfuncs)
      tc.error(call.loc, call.name + "(pid) is not available in " + tc.provider() + " probes",
               call.name + "(pid) is available in " + probe_kind_names([](const ProbeKind &k) {
                 return k.task_kfuncs;
               }) + " probes (the kernel lets their programs call bpf_task_from_pid)");
    if (!tc.types().find("struct task_struct"))
      tc.error(call.loc,
               call.name + "(pid) reads struct task_struct, which this kernel's BTF lacks");
    tc.mark_calls_task_kfuncs();
  } else if (takes_task) {
    auto t = tc.check(arg);
    bool task_pointer = t->kind == Kind::Pointer && t->element &&
                        t->element->display_name() == "struct task_struct";
    if (!task_pointer)
      tc.error(arg.loc,
               call.name + "() expects a struct task_struct *, got '" + t->display_name() + "'");
  } else {
    auto *mode = dynamic_cast<ast::Identifier *>(&arg);
    const auto &names = modes->second;
    if (!mode || std::find(names.begin(), names.end(), mode->name) == names.end())
      tc.error(arg.loc, call.name + "() expects " + joined(names));
    if (mode)
      mode->type = Type::none();
    else
      tc.check(arg);
  }
  return builtin_variable_type(tc, variable);
}

} // namespace

void register_variable_functions(FunctionTable &table) {
  for (const auto &[name, _] : variables()) {
    if (name == "kstack" || name == "ustack" || name == "dw_ustack")
      continue; // functions of their own
    table[name] = check_variable_call;
    table["__builtin_" + name] = check_variable_call;
  }
}

} // namespace sonde::sema
