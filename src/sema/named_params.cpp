#include "sema/named_params.h"

#include "ast/visitor.h"

#include <algorithm>
#include <cctype>

namespace sonde::sema {

namespace {

class GetoptCalls : public ast::Visitor {
public:
  std::vector<std::string> names;

  void visit(ast::Call &node) override {
    ast::Visitor::visit(node);
    if (node.name != "getopt" || node.args.empty())
      return;
    auto *name = dynamic_cast<ast::StringLiteral *>(node.args[0].get());
    if (name && std::find(names.begin(), names.end(), name->value) == names.end())
      names.push_back(name->value);
  }
};

} // namespace

std::optional<std::string> named_param(const std::vector<std::string> &params,
                                       const std::string &name) {
  const std::string flag = "--" + name;
  for (const auto &p : params) {
    if (p == flag)
      return std::string();
    if (p.rfind(flag + "=", 0) == 0)
      return p.substr(flag.size() + 1);
  }
  return std::nullopt;
}

std::optional<bool> named_param_bool(const std::string &value) {
  std::string lower = value;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (lower.empty() || lower == "1" || lower == "true")
    return true;
  if (lower == "0" || lower == "false")
    return false;
  return std::nullopt;
}

NamedParamUse named_param_use(ast::Program &program, const std::vector<std::string> &params) {
  GetoptCalls calls;
  program.accept(calls);
  NamedParamUse use;
  use.read = calls.names;
  for (const auto &p : params) {
    size_t equals = p.find('=');
    std::string name = p.substr(2, equals == std::string::npos ? equals : equals - 2);
    bool read = std::find(calls.names.begin(), calls.names.end(), name) != calls.names.end();
    if (!read && std::find(use.unread.begin(), use.unread.end(), name) == use.unread.end())
      use.unread.push_back(name);
  }
  return use;
}

} // namespace sonde::sema
