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
TypePtr i64(const Config &) { return Type::integer(8, true); }

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
      {"comm", {[](const Config &) { return Type::string(16); }, {}}},
      {"probe", {[](const Config &) { return Type::simple(Kind::ProbeName); }, {}}},
      {"rand", {u32, {}}},
      {"cgroup", {u64, {}}},
      {"cpid", {u32, {}}},
      {"ncpus", {u64, {}}},
      {"jiffies", {u64, {}}},
      {"username", {[](const Config &) { return Type::simple(Kind::Username); }, {}}},
      {"curtask", {u64, {}}},
      {"kstack", {[](const Config &) { return Type::simple(Kind::KStack); }, {}}},
      {"ustack", {[](const Config &) { return Type::simple(Kind::UStack); }, {}}},
      {"retval", {i64, has_retval}},
      {"func", {[](const Config &) { return Type::simple(Kind::Ksym); }, has_func}},
  };
  return rules;
}

} // namespace

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

} // namespace sonde::sema
