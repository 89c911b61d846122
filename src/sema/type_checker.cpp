// The TypeChecker pass over a probe: diagnostics, the predicate, statements,
// and the hand-over of identifiers and calls to the builtin registries.
#include "sema/type_checker.h"

#include "sema/builtins.h"
#include "sema/macros.h"
#include "sema/suggest.h"

namespace sonde::sema {

using types::Kind;
using types::Type;
using types::TypePtr;

void TypeChecker::error(const ast::Location &loc, const std::string &message,
                        const std::string &hint) {
  if (final_pass_)
    diags_.error(loc, message, hint);
}

void TypeChecker::warning(const ast::Location &loc, const std::string &message) {
  if (final_pass_)
    diags_.warning(loc, message);
}

TypePtr TypeChecker::check(ast::Expr &expr) {
  expr.accept(*this);
  if (!expr.type)
    expr.type = Type::none();
  return expr.type;
}

bool TypeChecker::user_probe() const { return probe_kind().address_space == AddressSpace::User; }

void TypeChecker::check_probe(ProbeInfo &info, const ProbeInstance &instance, bool final_pass) {
  probe_ = &info;
  instance_ = &instance;
  final_pass_ = final_pass;
  scopes_.clear();
  push_scope();
  loop_depth_ = 0;
  for_depth_ = 0;
  if (info.probe->predicate)
    check_condition(*info.probe->predicate);
  info.probe->body.accept(*this);
  // Declared and never used: zero, as an int64.
  for (auto &[placeholder, decl] : untyped_lets_)
    decl->type = Type::integer(8, true);
  untyped_lets_.clear();
  pop_scope();
}

void TypeChecker::check_condition(ast::Expr &cond) {
  auto t = check(cond);
  if (!is_integer(t) && t->kind != Kind::Pointer && t->kind != Kind::None)
    error(cond.loc,
          "Invalid condition: expected an integer or bool, got '" + t->display_name() + "'");
}

// -------------------------------------------------------------- builtins

void TypeChecker::visit(ast::Identifier &node) {
  node.type = builtin_variable_type(*this, node);
  if (node.type)
    return;
  if (auto value = out_.types.constant(node.name)) {
    node.constant = value;
    node.type = out_.types.constant_type(node.name);
    if (!node.type)
      node.type = Type::integer(8, true);
    return;
  }
  std::string near = closest_name(node.name, builtin_variable_names());
  error(node.loc, "Unknown identifier: '" + node.name + "'",
        near.empty() ? "" : "did you mean '" + near + "'?");
  node.type = Type::integer(8, true);
}

TypePtr TypeChecker::check_string(ast::ExprPtr &expr) {
  if (check(*expr)->kind != Kind::ProbeName)
    return expr->type;
  auto str = std::make_unique<ast::Call>();
  str->loc = expr->loc;
  str->name = "str";
  str->args.push_back(std::move(expr));
  expr = std::move(str);
  return check(*expr);
}

// `str($N)`: the text of $N, even when it reads as a number; `str($N + k)`:
// the string parameter $N from its k-th character on. Only a constant within
// the parameter can be added.
void TypeChecker::fold_positional_str(ast::ExprPtr &arg) {
  if (auto *param = dynamic_cast<ast::PositionalParam *>(arg.get()); param && !param->is_count) {
    auto text = std::make_unique<ast::StringLiteral>();
    text->loc = param->loc;
    text->value = positional_value(param->index);
    arg = std::move(text);
    return;
  }
  auto *sum = dynamic_cast<ast::Binary *>(arg.get());
  if (!sum || sum->op != ast::BinaryOp::Add)
    return;
  auto *param = dynamic_cast<ast::PositionalParam *>(sum->lhs.get());
  if (!param || param->is_count || check(*param)->kind != Kind::String)
    return;
  auto *offset = dynamic_cast<ast::IntegerLiteral *>(sum->rhs.get());
  std::string value = positional_value(param->index);
  if (!offset || offset->value > value.size()) {
    // Reported now: the argument is folded, later passes no longer see it.
    diags_.error(sum->loc, "Only a constant no larger than the length of $" +
                               std::to_string(param->index) + " (" + std::to_string(value.size()) +
                               ") can be added to it");
  }
  auto folded = std::make_unique<ast::StringLiteral>();
  folded->loc = sum->loc;
  if (offset && offset->value <= value.size())
    folded->value = value.substr(offset->value);
  arg = std::move(folded);
}

// A bare name in sizeof() or offsetof() is a type when one has that name
// (`sizeof(task_struct)`), as it would be in a cast.
void TypeChecker::name_as_type(ast::ExprPtr &arg) {
  auto *ident = dynamic_cast<ast::Identifier *>(arg.get());
  if (!ident || builtin_variable_type(*this, *ident))
    return;
  ast::TypeName name;
  name.loc = ident->loc;
  for (const char *tag : {"", "struct ", "union ", "enum "}) {
    if (out_.types.find(tag + ident->name)) {
      name.base = tag + ident->name;
      auto type = std::make_unique<ast::TypeExpr>();
      type->loc = ident->loc;
      type->type_name = std::move(name);
      arg = std::move(type);
      return;
    }
  }
}

// offsetof(struct a, b.c): one name for the path through embedded structs.
void TypeChecker::fold_field_path(ast::ExprPtr &arg) {
  std::string path;
  const ast::Expr *e = arg.get();
  while (auto *access = dynamic_cast<const ast::FieldAccess *>(e)) {
    path = "." + access->field + path;
    e = access->base.get();
  }
  auto *first = dynamic_cast<const ast::Identifier *>(e);
  if (path.empty() || !first)
    return;
  auto name = std::make_unique<ast::Identifier>();
  name->loc = arg->loc;
  name->name = first->name + path;
  arg = std::move(name);
}

void TypeChecker::visit(ast::Call &node) {
  // A `name!()` left after macro expansion found no macro (with macros to
  // expand, the expander says so itself).
  if (node.macro_call) {
    error(node.loc, macro_call_error(node.name));
    node.type = Type::none();
    return;
  }
  const FunctionRule *rule = find_function(node.name);
  auto unsupported = rule ? std::nullopt : unsupported_function(node.name);
  if (unsupported) {
    error(node.loc, *unsupported);
    for (auto &a : node.args)
      check(*a);
    node.type = Type::integer(8, true);
    return;
  }
  if (!rule) {
    if (auto function = types().function(node.name)) {
      node.type = check_c_function_call(node, *function);
      return;
    }
    std::string near = closest_name(node.name, function_names());
    ast::Location name_loc = node.loc;
    name_loc.end_line = name_loc.begin_line;
    name_loc.end_col = name_loc.begin_col + static_cast<int>(node.name.size());
    error(name_loc, "Unknown function: '" + node.name + "'",
          near.empty() ? "" : "did you mean '" + near + "'?");
    for (auto &a : node.args)
      check(*a);
    // Any value, so that the one mistake reports one error.
    node.type = Type::integer(8, true);
    return;
  }
  if (node.name == "str" && !node.args.empty())
    fold_positional_str(node.args[0]);
  if ((node.name == "sizeof" || node.name == "offsetof") && !node.args.empty())
    name_as_type(node.args[0]);
  if (node.name == "offsetof" && node.args.size() == 2)
    fold_field_path(node.args[1]);
  bool assigning = assigning_map_value_;
  assigning_map_value_ = false;
  node.type = (*rule)(*this, node, assigning);
}

// -------------------------------------------------------------- statements

void TypeChecker::visit(ast::Block &node) {
  push_scope();
  for (auto &s : node.stmts)
    s->accept(*this);
  pop_scope();
}

void TypeChecker::visit(ast::BlockExpr &node) {
  push_scope();
  for (auto &s : node.block.stmts)
    s->accept(*this);
  node.type = node.value ? check(*node.value) : Type::none();
  pop_scope();
}

namespace {

// Whether a statement's expression computes a value that nothing uses. ++ and
// -- are done for their effect, delete() for the entry it removes.
bool value_discarded(const ast::Expr &expr) {
  if (auto *block = dynamic_cast<const ast::BlockExpr *>(&expr))
    return block->value && value_discarded(*block->value);
  if (auto *unary = dynamic_cast<const ast::Unary *>(&expr))
    if (unary->op == ast::UnaryOp::PreInc || unary->op == ast::UnaryOp::PostInc ||
        unary->op == ast::UnaryOp::PreDec || unary->op == ast::UnaryOp::PostDec)
      return false;
  if (auto *call = dynamic_cast<const ast::Call *>(&expr); call && call->name == "delete")
    return false;
  return expr.type->kind != Kind::None;
}

} // namespace

// As bpftrace 0.26: a value computed for nothing is likely a mistake
// (`_ = f()` discards one on purpose). After an error, types are guesses.
void TypeChecker::visit(ast::ExprStmt &node) {
  check(*node.expr);
  if (!node.discard && !diags_.has_errors() && value_discarded(*node.expr))
    warning(node.expr->loc, "Return value discarded.");
}

void TypeChecker::visit(ast::If &node) {
  check_condition(*node.cond);
  node.then_block.accept(*this);
  if (node.else_block)
    node.else_block->accept(*this);
}

void TypeChecker::visit(ast::While &node) {
  check_condition(*node.cond);
  loop_depth_++;
  node.body.accept(*this);
  loop_depth_--;
}

void TypeChecker::visit(ast::Unroll &node) {
  check(*node.count);
  // A positional parameter given a number is as good as a literal.
  if (auto value = constant_value(*node.count);
      value && !dynamic_cast<ast::IntegerLiteral *>(node.count.get())) {
    auto lit = std::make_unique<ast::IntegerLiteral>();
    lit->loc = node.count->loc;
    lit->value = static_cast<uint64_t>(*value);
    check(*lit);
    node.count = std::move(lit);
  }
  auto *lit = dynamic_cast<ast::IntegerLiteral *>(node.count.get());
  // `unroll (101)`, up to its closing parenthesis, as bpftrace shows it.
  ast::Location head{node.loc.begin_line, node.loc.begin_col, node.count->loc.end_line,
                     node.count->loc.end_col + 1, node.loc.source};
  if (!lit)
    error(node.count->loc, "unroll() needs a constant count");
  else if (lit->value < 1)
    error(head, "unroll minimum value is 1");
  else if (lit->value > 100)
    error(head, "unroll maximum value is 100");
  node.body.accept(*this);
}

void TypeChecker::visit(ast::ForMap &node) {
  auto *sym = find_map("@" + node.map->name);
  if (!sym || !sym->value || !sym->key) {
    error(node.map->loc, "Undefined map: @" + node.map->name);
    push_scope();
    define_variable(node.var, Type::tuple({Type::integer(8, true), Type::integer(8, true)}),
                    node.loc);
  } else {
    if (!node.map->keys.empty())
      error(node.map->loc, "for loops iterate over a whole map: drop the key");
    if (sym->key->kind == Kind::None)
      error(node.map->loc, "Cannot iterate over a scalar map");
    node.map->type = sym->value;
    push_scope();
    bind(node.var, Type::tuple({sym->key, read_type(sym->value)}));
  }
  loop_depth_++;
  for_depth_++;
  node.body.accept(*this);
  for_depth_--;
  loop_depth_--;
  pop_scope();
}

void TypeChecker::visit(ast::ForRange &node) {
  for (auto *bound : {node.start.get(), node.end.get()})
    if (!is_integer(check(*bound)))
      error(bound->loc, "A range bound must be an integer");
  push_scope();
  bind(node.var, Type::integer(8, true));
  loop_depth_++;
  for_depth_++;
  node.body.accept(*this);
  for_depth_--;
  loop_depth_--;
  pop_scope();
}

void TypeChecker::visit(ast::Jump &node) {
  if (node.value)
    check(*node.value);
  if (node.kind != ast::JumpKind::Return && loop_depth_ == 0)
    error(node.loc, std::string(node.kind == ast::JumpKind::Break ? "break" : "continue") +
                        " used outside of a loop");
}

} // namespace sonde::sema
