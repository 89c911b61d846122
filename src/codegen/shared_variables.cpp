// Walks a probe body in the order ProgramCodegen lowers it, with the same
// scopes, so that each name resolves to the definition codegen will use.
#include "codegen/shared_variables.h"

#include "ast/visitor.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace sonde::codegen {

namespace {

class SharedVariables : public ast::Visitor {
public:
  CallbackVariables found;

  void walk_probe(ast::Block &body) {
    push_scope(); // where `let`-less variables of the probe go
    body.accept(*this);
  }

  void visit(ast::Block &node) override {
    push_scope();
    visit_block(node);
    scopes_.pop_back();
  }

  void visit(ast::BlockExpr &node) override {
    push_scope();
    visit_block(node.block);
    if (node.value)
      node.value->accept(*this);
    scopes_.pop_back();
  }

  void visit(ast::VarDecl &node) override {
    scopes_.back().names[node.name] = &node;
    if (node.init)
      node.init->accept(*this);
  }

  void visit(ast::Variable &node) override {
    if (!find(node.name))
      define_in_probe(node);
  }

  void visit(ast::Assign &node) override {
    auto *var = dynamic_cast<ast::Variable *>(node.target.get());
    if (!var) { // a map: its keys are lowered after a plain `=`'s value
      auto *first = node.compound ? node.target.get() : node.value.get();
      auto *second = node.compound ? node.value.get() : node.target.get();
      first->accept(*this);
      second->accept(*this);
      return;
    }
    if (node.compound) {
      written(var->name);
      node.value->accept(*this);
      return;
    }
    // Looked up before the value is lowered, as codegen does.
    bool defined = find(var->name);
    node.value->accept(*this);
    if (!defined)
      define_in_probe(*var);
    written(var->name);
  }

  void visit(ast::Unary &node) override {
    using Op = ast::UnaryOp;
    auto *var = dynamic_cast<ast::Variable *>(node.operand.get());
    bool step = node.op == Op::PreInc || node.op == Op::PreDec || node.op == Op::PostInc ||
                node.op == Op::PostDec;
    if (var && step)
      written(var->name);
    else
      ast::Visitor::visit(node);
  }

  // Codegen lowers the body `count` times; by the second time every
  // `let`-less variable it defines exists, so later copies resolve alike.
  void visit(ast::Unroll &node) override {
    auto *count = dynamic_cast<ast::IntegerLiteral *>(node.count.get());
    uint64_t times = count ? std::min<uint64_t>(count->value, 2) : 1;
    for (uint64_t i = 0; i < times; i++)
      node.body.accept(*this);
  }

  // With literal bounds the counter is on the stack, where the verifier can
  // bound it; otherwise the body is a callback, as a map loop's.
  void visit(ast::ForRange &node) override {
    node.start->accept(*this);
    node.end->accept(*this);
    bool callback = range_in_callback(node);
    frame_ += callback;
    push_scope();
    scopes_.back().names[node.var] = &node;
    node.body.accept(*this);
    scopes_.pop_back();
    frame_ -= callback;
  }

  void visit(ast::ForMap &node) override {
    frame_++;
    push_scope();
    scopes_.back().names[node.var] = &node;
    node.body.accept(*this);
    scopes_.pop_back();
    frame_--;
  }

private:
  struct Scope {
    int frame;
    std::map<std::string, const ast::Node *> names;
  };

  void push_scope() { scopes_.push_back({frame_, {}}); }

  const Scope *find(const std::string &name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it)
      if (it->names.count(name))
        return &*it;
    return nullptr;
  }

  // A `let`-less variable belongs to the probe: in its outermost scope. One
  // first met in a map loop's callback is defined there before the body.
  void define_in_probe(const ast::Variable &definition) {
    scopes_.front().names[definition.name] = &definition;
    if (frame_ > 0)
      found.defined_for_callbacks.push_back(&definition);
  }

  void written(const std::string &name) {
    const Scope *scope = find(name);
    if (scope && scope->frame < frame_)
      found.shared.insert(scope->names.at(name));
  }

  int frame_ = 0; // map loops around the current node
  std::vector<Scope> scopes_;
};

} // namespace

namespace {

// Whether `e` has one value for the whole run: literals, parameters,
// enumerators, getopt(), sizeof(), offsetof(), casts and arithmetic of those,
// a block that only yields one (a macro such as `max_path_depth()`).
bool is_constant(const ast::Expr &e) {
  if (dynamic_cast<const ast::IntegerLiteral *>(&e) ||
      dynamic_cast<const ast::PositionalParam *>(&e))
    return true;
  if (auto *id = dynamic_cast<const ast::Identifier *>(&e))
    return id->constant.has_value();
  if (auto *call = dynamic_cast<const ast::Call *>(&e))
    return call->name == "getopt" || call->name == "sizeof" || call->name == "offsetof";
  if (auto *unary = dynamic_cast<const ast::Unary *>(&e))
    return (unary->op == ast::UnaryOp::Neg || unary->op == ast::UnaryOp::BitNot) &&
           is_constant(*unary->operand);
  if (auto *binary = dynamic_cast<const ast::Binary *>(&e))
    return is_constant(*binary->lhs) && is_constant(*binary->rhs);
  if (auto *cast = dynamic_cast<const ast::Cast *>(&e))
    return is_constant(*cast->operand);
  if (auto *block = dynamic_cast<const ast::BlockExpr *>(&e))
    return block->block.stmts.empty() && block->value && is_constant(*block->value);
  return false;
}

} // namespace

bool range_in_callback(const ast::ForRange &loop) {
  return !is_constant(*loop.start) || !is_constant(*loop.end);
}

CallbackVariables variables_shared_with_callbacks(ast::Block &probe_body) {
  SharedVariables walk;
  walk.walk_probe(probe_body);
  return std::move(walk.found);
}

} // namespace sonde::codegen
