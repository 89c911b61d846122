#include "sema/unstable_features.h"

#include "ast/visitor.h"

#include <map>

namespace sonde::sema {

namespace {

// Where each unstable feature is used: its function called, or its
// variable read (`dw_ustack`), in script order.
class FeatureUses : public ast::Visitor {
public:
  std::map<std::string, std::vector<ast::Location>> uses;

  using ast::Visitor::visit;
  void visit(ast::Call &node) override {
    add(node.name, node.loc);
    ast::Visitor::visit(node);
  }
  void visit(ast::Identifier &node) override { add(node.name, node.loc); }

private:
  void add(const std::string &name, const ast::Location &loc) {
    for (const auto &feature : kUnstableFeatures)
      if (name == feature.name)
        uses[name].push_back(loc);
  }
};

} // namespace

void check_unstable_features(ast::Program &program, const Config &config, Diagnostics &diags) {
  // Only probes: a macro that is never called uses nothing.
  FeatureUses finder;
  for (auto &probe : program.probes)
    finder.visit(*probe);
  for (const auto &feature : kUnstableFeatures) {
    const auto &uses = finder.uses[feature.name];
    Unstable setting = config.*feature.setting;
    if (uses.empty() || setting == Unstable::Enable)
      continue;
    std::string name = feature.name;
    if (setting == Unstable::Warn) {
      diags.warning(uses.front(), "Script is using an unstable feature: " + name +
                                      ". To prevent this warning you must explicitly enable it "
                                      "in the config e.g. unstable_" +
                                      name + "=enable");
      continue;
    }
    for (const auto &loc : uses)
      diags.error(loc, name +
                           " feature is not enabled by default. To enable this unstable "
                           "feature, set the config flag to enable. unstable_" +
                           name + "=enable");
  }
}

} // namespace sonde::sema
