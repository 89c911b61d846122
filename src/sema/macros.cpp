// Macro expansion: every call of a macro is replaced by a copy of its body (a
// BlockExpr whose value is the body's last expression), with the arguments
// bound to the parameters:
//   $x  a variable: that variable itself (the body may change it); any other
//       expression, when the body never changes $x: that expression,
//       wherever the body names $x (as for x below)
//   @m  given a map: that map
//   x   the argument expression, wherever the body names x
// Macros are hygienic: the body sees only the variables and maps passed to
// it, and its own variables are renamed apart from the caller's. A macro is
// found by name and number of arguments; one without parameters may also be
// named bare (`if ready { … }`).
#include "sema/macros.h"

#include "ast/visitor.h"

#include <map>
#include <set>

namespace sonde::sema {

namespace {

using namespace ast;

constexpr int kMaxDepth = 16;

using MacroTable = std::map<std::pair<std::string, size_t>, Macro *>; // by name, arity

struct Bindings {
  std::map<std::string, std::string> variables; // $param → $argument
  std::map<std::string, std::string> maps;      // @param → @argument
  // param → argument expression; a $ parameter given an expression is
  // here as "$x"
  std::map<std::string, const Expr *> names;
  const Bindings *outer = nullptr; // where argument expressions are cloned
  std::string local_suffix;        // appended to the body's own variables; empty outside macros

  std::string variable(const std::string &name) const {
    auto renamed = variables.find(name);
    return renamed != variables.end() ? renamed->second : name + local_suffix;
  }
};

// The variables a macro body sets (assigns, declares, loops over), those it
// increments or decrements, and the first place it reads each one.
class BodyVariables : public Visitor {
public:
  std::set<std::string> set;
  std::set<std::string> stepped;
  std::map<std::string, Location> read;

  bool changes(const std::string &name) const { return set.count(name) || stepped.count(name); }

  void visit(Assign &node) override {
    if (auto *var = dynamic_cast<Variable *>(node.target.get()))
      set.insert(var->name);
    Visitor::visit(node);
  }
  void visit(VarDecl &node) override {
    set.insert(node.name);
    Visitor::visit(node);
  }
  void visit(ForMap &node) override {
    set.insert(node.var);
    Visitor::visit(node);
  }
  void visit(ForRange &node) override {
    set.insert(node.var);
    Visitor::visit(node);
  }
  void visit(Unary &node) override {
    bool step = node.op == UnaryOp::PreInc || node.op == UnaryOp::PreDec ||
                node.op == UnaryOp::PostInc || node.op == UnaryOp::PostDec;
    if (auto *var = dynamic_cast<Variable *>(node.operand.get()); var && step)
      stepped.insert(var->name);
    Visitor::visit(node);
  }
  void visit(Variable &node) override { read.emplace(node.name, node.loc); }
};

BodyVariables body_variables(Macro &macro) {
  BodyVariables variables;
  for (auto &s : macro.body.stmts)
    s->accept(variables);
  return variables;
}

class Expander {
public:
  Expander(const MacroTable &macros, Diagnostics &diags) : macros_(macros), diags_(diags) {}

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
  // The macro a call names, with an error when the name exists for other
  // numbers of arguments only.
  Macro *find(const std::string &name, size_t arity, const Location &loc);
  ExprPtr expand(const Call &call, Macro &macro, const Bindings &b);
  bool reads_only_its_own(Macro &macro, const BodyVariables &variables);

  const MacroTable &macros_;
  Diagnostics &diags_;
  int depth_ = 0;
  int expansions_ = 0;
};

std::unique_ptr<MapRef> Expander::map(const MapRef &m, const Bindings &b) {
  auto to = same(m);
  auto renamed = b.maps.find(m.name);
  if (renamed == b.maps.end() && !b.local_suffix.empty())
    diags_.error(m.loc, "A macro sees only the maps passed to it: add a parameter for @" + m.name +
                            " and pass the map");
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
    if (auto macro = macros_.find({n->name, 0}); macro != macros_.end()) {
      Call bare;
      bare.loc = n->loc;
      bare.name = n->name;
      return expand(bare, *macro->second, b);
    }
    auto to = same(*n);
    to->name = n->name;
    return to;
  }
  if (auto *n = dynamic_cast<const Variable *>(&e)) {
    if (auto arg = b.names.find("$" + n->name); arg != b.names.end())
      return expr(*arg->second, *b.outer);
    auto to = same(*n);
    to->name = b.variable(n->name);
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
    if (Macro *macro = find(n->name, n->args.size(), n->loc))
      return expand(*n, *macro, b);
    if (n->macro_call) {
      auto named = macros_.lower_bound({n->name, 0});
      if (named == macros_.end() || named->first.first != n->name)
        diags_.error(n->loc, macro_call_error(n->name));
    }
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
  to->from_macro = n.from_macro;
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
    to->discard = n->discard;
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
    to->name = b.variable(n->name);
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
    to->var = b.variable(n->var);
    to->map = map(*n->map, b);
    to->body = block(n->body, b);
    return to;
  }
  if (auto *n = dynamic_cast<const ForRange *>(&s)) {
    auto to = same(*n);
    to->var = b.variable(n->var);
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

Macro *Expander::find(const std::string &name, size_t arity, const Location &loc) {
  if (auto macro = macros_.find({name, arity}); macro != macros_.end())
    return macro->second;
  std::string arities;
  for (auto it = macros_.lower_bound({name, 0}); it != macros_.end() && it->first.first == name;
       ++it)
    arities += (arities.empty() ? "" : " or ") + std::to_string(it->first.second);
  if (!arities.empty())
    diags_.error(loc, "Macro " + name + "() takes " + arities + " arguments, got " +
                          std::to_string(arity));
  return nullptr;
}

// A variable the body reads but never sets would be the caller's: refused.
bool Expander::reads_only_its_own(Macro &macro, const BodyVariables &variables) {
  std::set<std::string> params;
  for (const auto &param : macro.params)
    if (param[0] == '$')
      params.insert(param.substr(1));
  bool ok = true;
  for (const auto &[name, loc] : variables.read)
    if (!variables.set.count(name) && !params.count(name)) {
      diags_.error(loc, "A macro sees only the variables passed to it: $" + name +
                            " is not a parameter of " + macro.name + "() and not set in it");
      ok = false;
    }
  return ok;
}

ExprPtr Expander::expand(const Call &call, Macro &macro, const Bindings &b) {
  auto result = std::make_unique<BlockExpr>();
  result->loc = call.loc;
  result->from_macro = true;
  if (depth_ >= kMaxDepth) {
    diags_.error(call.loc, "Macro " + macro.name + "() expands too deeply (recursion?)");
    return result;
  }
  BodyVariables variables = body_variables(macro);
  if (!reads_only_its_own(macro, variables))
    return result;
  Bindings inner;
  inner.outer = &b;
  inner.local_suffix = "__" + macro.name + std::to_string(++expansions_);
  for (size_t i = 0; i < macro.params.size(); i++) {
    const std::string &param = macro.params[i];
    const Expr &arg = *call.args[i];
    if (param[0] == '$') {
      // A parameter of the calling macro that was given an expression is
      // that expression, not a variable.
      auto *var = dynamic_cast<const Variable *>(&arg);
      if (var && !b.names.count("$" + var->name)) {
        inner.variables[param.substr(1)] = b.variable(var->name);
      } else if (!variables.changes(param.substr(1))) {
        inner.names[param] = &arg;
      } else {
        diags_.error(arg.loc, "Macro parameter " + param + " needs a variable, as in $name: " +
                                  macro.name + "() changes " + param + " (a parameter written " +
                                  param.substr(1) + " takes any expression)");
        return result;
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

std::string macro_call_error(const std::string &name) {
  return name + "!() calls a macro, and no macro is named " + name;
}

void expand_macros(Program &program, Diagnostics &diags) {
  if (program.macros.empty())
    return;
  MacroTable macros;
  for (const auto &m : program.macros) {
    if (!macros.emplace(std::pair(m->name, m->params.size()), m.get()).second)
      diags.error(m->loc, "Macro " + m->name + "() with " + std::to_string(m->params.size()) +
                              " parameters is defined twice");
  }
  Expander expander(macros, diags);
  Bindings none;
  for (auto &probe : program.probes) {
    if (probe->predicate)
      probe->predicate = expander.expr(*probe->predicate, none);
    probe->body = expander.block(probe->body, none);
  }
}

std::unique_ptr<Probe> copy_probe(const Probe &probe, Diagnostics &diags) {
  // With no macros to expand, expanding copies.
  MacroTable none;
  Expander copier(none, diags);
  auto copy = std::make_unique<Probe>();
  copy->loc = probe.loc;
  if (probe.predicate)
    copy->predicate = copier.expr(*probe.predicate, Bindings{});
  copy->body = copier.block(probe.body, Bindings{});
  return copy;
}

} // namespace sonde::sema
