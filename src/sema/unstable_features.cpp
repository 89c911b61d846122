#include "sema/unstable_features.h"

#include "ast/visitor.h"

namespace sonde::sema {

namespace {

class TSeriesCalls : public ast::Visitor {
public:
  std::vector<const ast::Call *> calls;

  using ast::Visitor::visit;
  void visit(ast::Call &node) override {
    if (node.name == "tseries")
      calls.push_back(&node);
    ast::Visitor::visit(node);
  }
};

} // namespace

void check_unstable_features(ast::Program &program, const Config &config, Diagnostics &diags) {
  if (config.unstable_tseries == Unstable::Enable)
    return;
  // Only probes: a macro that is never called uses nothing.
  TSeriesCalls finder;
  for (auto &probe : program.probes)
    finder.visit(*probe);
  if (finder.calls.empty())
    return;
  if (config.unstable_tseries == Unstable::Warn) {
    diags.warning(finder.calls.front()->loc,
                  "Script is using an unstable feature: tseries. To prevent this warning you "
                  "must explicitly enable it in the config e.g. unstable_tseries=enable");
    return;
  }
  for (const auto *call : finder.calls)
    diags.error(call->loc, "tseries feature is not enabled by default. To enable this unstable "
                           "feature, set the config flag to enable. unstable_tseries=enable");
}

} // namespace sonde::sema
