#include "sema/reachability.h"

namespace sonde::sema {

namespace {

// The jumps that leave the code being analysed: a probe's body is left by
// `return`, a `for` body by `break` and `continue`, a `while` body by all three.
enum Jumps : unsigned { Return = 1, Break = 2, Continue = 4 };

unsigned jump_bit(ast::JumpKind kind) {
  switch (kind) {
  case ast::JumpKind::Return:
    return Return;
  case ast::JumpKind::Break:
    return Break;
  case ast::JumpKind::Continue:
    return Continue;
  }
  return 0;
}

class Reachability {
public:
  explicit Reachability(Diagnostics &diags) : diags_(diags) {}

  // Whether the block always ends in one of `jumps`; warns at the first
  // statement after the one that does.
  bool block(ast::Block &block, unsigned jumps) {
    for (size_t i = 0; i < block.stmts.size(); i++) {
      if (!stmt(*block.stmts[i], jumps))
        continue;
      if (i + 1 < block.stmts.size())
        diags_.warning(block.stmts[i + 1]->loc, "Unreachable statement.");
      return true;
    }
    return false;
  }

private:
  bool stmt(ast::Stmt &s, unsigned jumps) {
    if (auto *jump = dynamic_cast<ast::Jump *>(&s))
      return (jumps & jump_bit(jump->kind)) != 0;
    if (auto *e = dynamic_cast<ast::ExprStmt *>(&s))
      return expr(*e->expr, jumps);
    if (auto *a = dynamic_cast<ast::Assign *>(&s))
      return expr(*a->value, jumps);
    if (auto *d = dynamic_cast<ast::VarDecl *>(&s))
      return d->init && expr(*d->init, jumps);
    if (auto *b = dynamic_cast<ast::BlockStmt *>(&s))
      return block(b->block, jumps);
    if (auto *i = dynamic_cast<ast::If *>(&s)) {
      bool then_ends = block(i->then_block, jumps);
      bool else_ends = i->else_block && block(*i->else_block, jumps);
      return then_ends && else_ends;
    }
    if (auto *u = dynamic_cast<ast::Unroll *>(&s))
      return block(u->body, jumps);
    if (auto *w = dynamic_cast<ast::While *>(&s)) {
      // A while loop may run no time; only a `return` in every pass leaves
      // what is around it.
      block(w->body, Return | Break | Continue);
      return (jumps & Return) && block(w->body, Return);
    }
    if (auto *f = dynamic_cast<ast::ForMap *>(&s))
      block(f->body, Break | Continue);
    else if (auto *r = dynamic_cast<ast::ForRange *>(&s))
      block(r->body, Break | Continue);
    return false;
  }

  bool expr(ast::Expr &e, unsigned jumps) {
    if (auto *call = dynamic_cast<ast::Call *>(&e))
      return call->name == "exit" && call->args.size() <= 1 && (jumps & Return);
    auto *b = dynamic_cast<ast::BlockExpr *>(&e);
    if (!b || !block(b->block, jumps))
      return false;
    if (b->value)
      diags_.warning(b->value->loc, "Unreachable expression; block type is implicitly none.");
    return true;
  }

  Diagnostics &diags_;
};

} // namespace

void warn_unreachable(ast::Program &program, Diagnostics &diags) {
  Reachability reachability(diags);
  for (auto &probe : program.probes)
    reachability.block(probe->body, Return);
}

} // namespace sonde::sema
