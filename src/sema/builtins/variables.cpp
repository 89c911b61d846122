#include "sema/builtins.h"

#include <regex>

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

namespace {

struct VariableRule {
  TypePtr (*type)(const Config &);
  // Providers where the variable is valid; empty means every provider.
  std::vector<std::string> providers;
};

TypePtr u64(const Config &) { return Type::integer(8, false); }
TypePtr u32(const Config &) { return Type::integer(4, false); }
TypePtr i64(const Config &) { return Type::integer(8, true); }

const std::vector<std::string> kArgProviders = {"kprobe", "uprobe", "usdt", "rawtracepoint"};
const std::vector<std::string> kRetProviders = {"kretprobe", "uretprobe", "fexit"};
const std::vector<std::string> kFuncProviders = {"kprobe", "kretprobe", "uprobe", "uretprobe",
                                                 "fentry", "fexit"};

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
      {"retval", {i64, kRetProviders}},
      {"func", {[](const Config &) { return Type::simple(Kind::Ksym); }, kFuncProviders}},
  };
  return rules;
}

bool allowed(const std::vector<std::string> &providers, const std::string &provider) {
  return providers.empty() ||
         std::find(providers.begin(), providers.end(), provider) != providers.end();
}

} // namespace

std::vector<std::string> builtin_variable_names() {
  std::vector<std::string> names{"args", "arg0", "arg1", "arg2"};
  for (const auto &[name, _] : variables())
    names.push_back(name);
  return names;
}

TypePtr builtin_variable_type(TypeChecker &tc, ast::Identifier &node) {
  const std::string &provider = tc.provider();
  if (node.name == "args") {
    if (!tc.instance().args) {
      tc.error(node.loc, "args is not available in " + provider + " probes");
      return Type::integer(8, true);
    }
    tc.mark_reads_args();
    return tc.instance().args;
  }
  static const std::regex arg_n("arg([0-9]+)");
  std::smatch m;
  if (provider == "usdt" && std::regex_match(node.name, m, arg_n)) {
    const auto &arguments = tc.instance().usdt_arguments;
    size_t index = std::stoul(m[1]);
    if (index >= arguments.size()) {
      tc.error(node.loc, node.name + " is not an argument of this usdt probe: it has " +
                             std::to_string(arguments.size()));
      return Type::integer(8, false);
    }
    return Type::integer(arguments[index].size, arguments[index].is_signed);
  }
  if (std::regex_match(node.name, arg_n)) {
    if (!allowed(kArgProviders, provider)) {
      std::string hint = provider == "tracepoint" ? "tracepoint arguments are args.<field>" : "";
      tc.error(node.loc, node.name + " is not available in " + provider + " probes", hint);
    }
    return Type::integer(8, false);
  }
  if (node.name == "func" && (provider == "uprobe" || provider == "uretprobe"))
    return Type::simple(Kind::Usym);
  if (node.name == "curtask") {
    if (auto task = tc.types().find("struct task_struct"))
      return Type::pointer(task);
  }
  auto it = variables().find(node.name);
  if (it == variables().end())
    return nullptr;
  if (!allowed(it->second.providers, provider))
    tc.error(node.loc, node.name + " is not available in " + provider + " probes");
  if (node.name == "cpid" && !tc.options().has_child)
    tc.error(node.loc, "cpid is only available with -c");
  return it->second.type(tc.config());
}

} // namespace sonde::sema
