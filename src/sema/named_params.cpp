#include "sema/named_params.h"

#include "ast/visitor.h"

#include <algorithm>
#include <cctype>

namespace sonde::sema {

namespace {

// getopt's default, and the kind of value it takes (an integer option is
// an int64; sema has folded `-3` into one literal).
void describe_default(const ast::Expr &value, NamedOption &option) {
  if (auto *integer = dynamic_cast<const ast::IntegerLiteral *>(&value)) {
    option.value_kind = "INT";
    option.default_value = std::to_string(static_cast<int64_t>(integer->value));
  } else if (auto *text = dynamic_cast<const ast::StringLiteral *>(&value)) {
    option.value_kind = "STRING";
    option.default_value = text->value;
  } else if (auto *flag = dynamic_cast<const ast::BoolLiteral *>(&value)) {
    option.default_value = flag->value ? "true" : "false";
  }
}

class GetoptCalls : public ast::Visitor {
public:
  std::vector<NamedOption> options;

  void visit(ast::Call &node) override {
    ast::Visitor::visit(node);
    if (node.name != "getopt" || node.args.empty())
      return;
    auto *name = dynamic_cast<ast::StringLiteral *>(node.args[0].get());
    if (!name || std::any_of(options.begin(), options.end(),
                             [&](const NamedOption &o) { return o.name == name->value; }))
      return;
    NamedOption option{name->value, "", "false", ""};
    if (node.args.size() > 1)
      describe_default(*node.args[1], option);
    if (node.args.size() > 2)
      if (auto *description = dynamic_cast<ast::StringLiteral *>(node.args[2].get()))
        option.description = description->value;
    options.push_back(std::move(option));
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
  use.read = calls.options;
  for (const auto &p : params) {
    size_t equals = p.find('=');
    std::string name = p.substr(2, equals == std::string::npos ? equals : equals - 2);
    bool read = std::any_of(calls.options.begin(), calls.options.end(),
                            [&](const NamedOption &o) { return o.name == name; });
    if (!read && std::find(use.unread.begin(), use.unread.end(), name) == use.unread.end())
      use.unread.push_back(name);
  }
  return use;
}

} // namespace sonde::sema
