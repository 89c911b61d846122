// Macro expansion: every call of a macro is replaced by a copy of its body (a
// BlockExpr whose value is the body's last expression), with the arguments
// bound to the parameters:
//   $x  given a variable: that variable itself; given another expression: a
//       new `$x` in the expansion's scope, set to it
//   @m  given a map: that map
//   x   the argument expression, wherever the body names x
#include "sema/macros.h"

#include <map>

namespace sonde::sema {

namespace {

using namespace ast;

constexpr int kMaxDepth = 16;

struct Bindings {
  std::map<std::string, std::string> variables; // $param → $argument
  std::map<std::string, std::string> maps;      // @param → @argument
  std::map<std::string, const Expr *> names;    // param → argument expression
  const Bindings *outer = nullptr;              // where argument expressions are cloned
};

class Expander {
public:
  Expander(const std::map<std::string, const Macro *> &macros, Diagnostics &diags)
      : macros_(macros), diags_(diags) {}

  ExprPtr expr(const Expr &e, const Bindings &b);
  StmtPtr stmt(const Stmt &s, const Bindings &b);
  Block block(const Block &blk, const Bindings &b);

private:
  template <typename T> std::unique_ptr<T> same(const T &from) {
    auto to = std::make_unique<T>();
    to->loc = from.loc;
    return to;
  }
  ExprPtr maybe(const ExprPtr &e, const Bindings &b) { return e ? expr(*e, b) : nullptr; }
  std::unique_ptr<MapRef> map(const MapRef &m, const Bindings &b);
  ExprPtr expand(const Call &call, const Macro &macro, const Bindings &b);

  const std::map<std::string, const Macro *> &macros_;
  Diagnostics &diags_;
  int depth_ = 0;
};

std::unique_ptr<MapRef> Expander::map(const MapRef &m, const Bindings &b) {
  auto to = same(m);
  auto renamed = b.maps.find(m.name);
  to->name = renamed == b.maps.end() ? m.name : renamed->second;
  for (const auto &k : m.keys)
    to->keys.push_back(expr(*k, b));
  return to;
}

ExprPtr Expander::expr(const Expr &e, const Bindings &b) {
  if (auto *n = dynamic_cast<const IntegerLiteral *>(&e)) {
    auto to = same(*n);
    to->value = n->value;
    return to;
  }
  if (auto *n = dynamic_cast<const StringLiteral *>(&e)) {
    auto to = same(*n);
    to->value = n->value;
    return to;
  }
  if (auto *n = dynamic_cast<const BoolLiteral *>(&e)) {
    auto to = same(*n);
    to->value = n->value;
    return to;
  }
  if (auto *n = dynamic_cast<const PositionalParam *>(&e)) {
    auto to = same(*n);
    to->index = n->index;
    to->is_count = n->is_count;
    return to;
  }
  if (auto *n = dynamic_cast<const Identifier *>(&e)) {
    if (auto arg = b.names.find(n->name); arg != b.names.end())
      return expr(*arg->second, *b.outer);
    auto to = same(*n);
    to->name = n->name;
    return to;
  }
  if (auto *n = dynamic_cast<const Variable *>(&e)) {
    auto to = same(*n);
    auto renamed = b.variables.find(n->name);
    to->name = renamed == b.variables.end() ? n->name : renamed->second;
    return to;
  }
  if (auto *n = dynamic_cast<const MapRef *>(&e))
    return map(*n, b);
  if (auto *n = dynamic_cast<const TypeExpr *>(&e)) {
    auto to = same(*n);
    to->type_name = n->type_name;
    return to;
  }
  if (auto *n = dynamic_cast<const Call *>(&e)) {
    if (auto macro = macros_.find(n->name); macro != macros_.end())
      return expand(*n, *macro->second, b);
    auto to = same(*n);
    to->name = n->name;
    for (const auto &a : n->args)
      to->args.push_back(expr(*a, b));
    return to;
  }
  if (auto *n = dynamic_cast<const Unary *>(&e)) {
    auto to = same(*n);
    to->op = n->op;
    to->operand = expr(*n->operand, b);
    return to;
  }
  if (auto *n = dynamic_cast<const Binary *>(&e)) {
    auto to = same(*n);
    to->op = n->op;
    to->lhs = expr(*n->lhs, b);
    to->rhs = expr(*n->rhs, b);
    return to;
  }
  if (auto *n = dynamic_cast<const Ternary *>(&e)) {
    auto to = same(*n);
    to->cond = expr(*n->cond, b);
    to->then_expr = maybe(n->then_expr, b);
    to->else_expr = expr(*n->else_expr, b);
    return to;
  }
  if (auto *n = dynamic_cast<const FieldAccess *>(&e)) {
    auto to = same(*n);
    to->base = expr(*n->base, b);
    to->field = n->field;
    to->arrow = n->arrow;
    return to;
  }
  if (auto *n = dynamic_cast<const TupleIndex *>(&e)) {
    auto to = same(*n);
    to->base = expr(*n->base, b);
    to->index = n->index;
    return to;
  }
  if (auto *n = dynamic_cast<const Index *>(&e)) {
    auto to = same(*n);
    to->base = expr(*n->base, b);
    to->index = expr(*n->index, b);
    return to;
  }
  if (auto *n = dynamic_cast<const Cast *>(&e)) {
    auto to = same(*n);
    to->target = n->target;
    to->operand = expr(*n->operand, b);
    return to;
  }
  if (auto *n = dynamic_cast<const TupleExpr *>(&e)) {
    auto to = same(*n);
    for (const auto &x : n->elements)
      to->elements.push_back(expr(*x, b));
    return to;
  }
  if (auto *n = dynamic_cast<const RecordExpr *>(&e)) {
    auto to = same(*n);
    to->names = n->names;
    for (const auto &x : n->values)
      to->values.push_back(expr(*x, b));
    return to;
  }
  auto &n = dynamic_cast<const BlockExpr &>(e);
  auto to = same(n);
  to->block = block(n.block, b);
  to->value = maybe(n.value, b);
  return to;
}

Block Expander::block(const Block &blk, const Bindings &b) {
  Block to;
  to.loc = blk.loc;
  for (const auto &s : blk.stmts)
    to.stmts.push_back(stmt(*s, b));
  return to;
}

StmtPtr Expander::stmt(const Stmt &s, const Bindings &b) {
  if (auto *n = dynamic_cast<const ExprStmt *>(&s)) {
    auto to = same(*n);
    to->expr = expr(*n->expr, b);
    return to;
  }
  if (auto *n = dynamic_cast<const Assign *>(&s)) {
    auto to = same(*n);
    to->target = expr(*n->target, b);
    to->compound = n->compound;
    to->value = expr(*n->value, b);
    return to;
  }
  if (auto *n = dynamic_cast<const VarDecl *>(&s)) {
    auto to = same(*n);
    auto renamed = b.variables.find(n->name);
    to->name = renamed == b.variables.end() ? n->name : renamed->second;
    to->declared_type = n->declared_type;
    to->init = maybe(n->init, b);
    return to;
  }
  if (auto *n = dynamic_cast<const If *>(&s)) {
    auto to = same(*n);
    to->cond = expr(*n->cond, b);
    to->then_block = block(n->then_block, b);
    if (n->else_block)
      to->else_block = block(*n->else_block, b);
    return to;
  }
  if (auto *n = dynamic_cast<const While *>(&s)) {
    auto to = same(*n);
    to->cond = expr(*n->cond, b);
    to->body = block(n->body, b);
    return to;
  }
  if (auto *n = dynamic_cast<const Unroll *>(&s)) {
    auto to = same(*n);
    to->count = expr(*n->count, b);
    to->body = block(n->body, b);
    return to;
  }
  if (auto *n = dynamic_cast<const ForMap *>(&s)) {
    auto to = same(*n);
    to->var = n->var;
    to->map = map(*n->map, b);
    to->body = block(n->body, b);
    return to;
  }
  if (auto *n = dynamic_cast<const ForRange *>(&s)) {
    auto to = same(*n);
    to->var = n->var;
    to->start = expr(*n->start, b);
    to->end = expr(*n->end, b);
    to->body = block(n->body, b);
    return to;
  }
  if (auto *n = dynamic_cast<const Jump *>(&s)) {
    auto to = same(*n);
    to->kind = n->kind;
    to->value = maybe(n->value, b);
    return to;
  }
  auto &n = dynamic_cast<const BlockStmt &>(s);
  auto to = same(n);
  to->block = block(n.block, b);
  return to;
}

ExprPtr Expander::expand(const Call &call, const Macro &macro, const Bindings &b) {
  auto result = std::make_unique<BlockExpr>();
  result->loc = call.loc;
  if (call.args.size() != macro.params.size()) {
    diags_.error(call.loc, "Macro " + macro.name + "() takes " +
                               std::to_string(macro.params.size()) + " arguments, got " +
                               std::to_string(call.args.size()));
    return result;
  }
  if (depth_ >= kMaxDepth) {
    diags_.error(call.loc, "Macro " + macro.name + "() expands too deeply (recursion?)");
    return result;
  }
  Bindings inner;
  inner.outer = &b;
  for (size_t i = 0; i < macro.params.size(); i++) {
    const std::string &param = macro.params[i];
    const Expr &arg = *call.args[i];
    if (param[0] == '$') {
      if (auto *var = dynamic_cast<const Variable *>(&arg)) {
        auto renamed = b.variables.find(var->name);
        inner.variables[param.substr(1)] =
            renamed == b.variables.end() ? var->name : renamed->second;
      } else {
        auto decl = std::make_unique<VarDecl>();
        decl->loc = arg.loc;
        decl->name = param.substr(1);
        decl->init = expr(arg, b);
        result->block.stmts.push_back(std::move(decl));
      }
    } else if (param[0] == '@') {
      auto *m = dynamic_cast<const MapRef *>(&arg);
      if (!m || !m->keys.empty()) {
        diags_.error(arg.loc, "Macro parameter " + param + " needs a map, as in @name");
        return result;
      }
      auto renamed = b.maps.find(m->name);
      inner.maps[param.substr(1)] = renamed == b.maps.end() ? m->name : renamed->second;
    } else {
      inner.names[param] = &arg;
    }
  }
  depth_++;
  Block body = block(macro.body, inner);
  depth_--;
  // The body's last expression is the value of the call.
  if (!body.stmts.empty())
    if (auto *last = dynamic_cast<ExprStmt *>(body.stmts.back().get())) {
      result->value = std::move(last->expr);
      body.stmts.pop_back();
    }
  for (auto &s : body.stmts)
    result->block.stmts.push_back(std::move(s));
  return result;
}

} // namespace

void expand_macros(Program &program, Diagnostics &diags) {
  if (program.macros.empty())
    return;
  std::map<std::string, const Macro *> macros;
  for (const auto &m : program.macros) {
    if (!macros.emplace(m->name, m.get()).second)
      diags.error(m->loc, "Macro " + m->name + "() is defined twice");
  }
  Expander expander(macros, diags);
  Bindings none;
  for (auto &probe : program.probes) {
    if (probe->predicate)
      probe->predicate = expander.expr(*probe->predicate, none);
    probe->body = expander.block(probe->body, none);
  }
}

} // namespace sonde::sema
