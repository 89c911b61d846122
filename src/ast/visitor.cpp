#include "ast/visitor.h"

namespace sonde::ast {

void IntegerLiteral::accept(Visitor &v) { v.visit(*this); }
void StringLiteral::accept(Visitor &v) { v.visit(*this); }
void BoolLiteral::accept(Visitor &v) { v.visit(*this); }
void PositionalParam::accept(Visitor &v) { v.visit(*this); }
void Identifier::accept(Visitor &v) { v.visit(*this); }
void Variable::accept(Visitor &v) { v.visit(*this); }
void MapRef::accept(Visitor &v) { v.visit(*this); }
void TypeExpr::accept(Visitor &v) { v.visit(*this); }
void Call::accept(Visitor &v) { v.visit(*this); }
void Unary::accept(Visitor &v) { v.visit(*this); }
void Binary::accept(Visitor &v) { v.visit(*this); }
void Ternary::accept(Visitor &v) { v.visit(*this); }
void FieldAccess::accept(Visitor &v) { v.visit(*this); }
void TupleIndex::accept(Visitor &v) { v.visit(*this); }
void Index::accept(Visitor &v) { v.visit(*this); }
void Cast::accept(Visitor &v) { v.visit(*this); }
void TupleExpr::accept(Visitor &v) { v.visit(*this); }
void RecordExpr::accept(Visitor &v) { v.visit(*this); }
void Block::accept(Visitor &v) { v.visit(*this); }
void BlockExpr::accept(Visitor &v) { v.visit(*this); }
void ExprStmt::accept(Visitor &v) { v.visit(*this); }
void Assign::accept(Visitor &v) { v.visit(*this); }
void VarDecl::accept(Visitor &v) { v.visit(*this); }
void If::accept(Visitor &v) { v.visit(*this); }
void While::accept(Visitor &v) { v.visit(*this); }
void Unroll::accept(Visitor &v) { v.visit(*this); }
void ForMap::accept(Visitor &v) { v.visit(*this); }
void ForRange::accept(Visitor &v) { v.visit(*this); }
void Jump::accept(Visitor &v) { v.visit(*this); }
void BlockStmt::accept(Visitor &v) { v.visit(*this); }
void AttachPoint::accept(Visitor &v) { v.visit(*this); }
void Probe::accept(Visitor &v) { v.visit(*this); }
void CDefinition::accept(Visitor &v) { v.visit(*this); }
void Import::accept(Visitor &v) { v.visit(*this); }
void ConfigEntry::accept(Visitor &v) { v.visit(*this); }
void Macro::accept(Visitor &v) { v.visit(*this); }
void MapDecl::accept(Visitor &v) { v.visit(*this); }
void Program::accept(Visitor &v) { v.visit(*this); }

namespace {
void walk(Visitor &v, Expr *e) {
  if (e)
    e->accept(v);
}
} // namespace

void Visitor::visit_block(Block &block) {
  for (auto &s : block.stmts)
    s->accept(*this);
}

void Visitor::visit(IntegerLiteral &) {}
void Visitor::visit(StringLiteral &) {}
void Visitor::visit(BoolLiteral &) {}
void Visitor::visit(PositionalParam &) {}
void Visitor::visit(Identifier &) {}
void Visitor::visit(Variable &) {}
void Visitor::visit(TypeExpr &) {}
void Visitor::visit(AttachPoint &) {}
void Visitor::visit(CDefinition &) {}
void Visitor::visit(Import &) {}

void Visitor::visit(MapRef &n) {
  for (auto &k : n.keys)
    walk(*this, k.get());
}
void Visitor::visit(Call &n) {
  for (auto &a : n.args)
    walk(*this, a.get());
}
void Visitor::visit(Unary &n) { walk(*this, n.operand.get()); }
void Visitor::visit(Binary &n) {
  walk(*this, n.lhs.get());
  walk(*this, n.rhs.get());
}
void Visitor::visit(Ternary &n) {
  walk(*this, n.cond.get());
  walk(*this, n.then_expr.get());
  walk(*this, n.else_expr.get());
}
void Visitor::visit(FieldAccess &n) { walk(*this, n.base.get()); }
void Visitor::visit(TupleIndex &n) { walk(*this, n.base.get()); }
void Visitor::visit(Index &n) {
  walk(*this, n.base.get());
  walk(*this, n.index.get());
}
void Visitor::visit(Cast &n) { walk(*this, n.operand.get()); }
void Visitor::visit(TupleExpr &n) {
  for (auto &e : n.elements)
    walk(*this, e.get());
}
void Visitor::visit(RecordExpr &n) {
  for (auto &e : n.values)
    walk(*this, e.get());
}
void Visitor::visit(Block &n) { visit_block(n); }
void Visitor::visit(BlockExpr &n) {
  n.block.accept(*this);
  walk(*this, n.value.get());
}
void Visitor::visit(ExprStmt &n) { walk(*this, n.expr.get()); }
void Visitor::visit(Assign &n) {
  walk(*this, n.target.get());
  walk(*this, n.value.get());
}
void Visitor::visit(VarDecl &n) { walk(*this, n.init.get()); }
void Visitor::visit(If &n) {
  walk(*this, n.cond.get());
  n.then_block.accept(*this);
  if (n.else_block)
    n.else_block->accept(*this);
}
void Visitor::visit(While &n) {
  walk(*this, n.cond.get());
  n.body.accept(*this);
}
void Visitor::visit(Unroll &n) {
  walk(*this, n.count.get());
  n.body.accept(*this);
}
void Visitor::visit(ForMap &n) {
  n.map->accept(*this);
  n.body.accept(*this);
}
void Visitor::visit(ForRange &n) {
  walk(*this, n.start.get());
  walk(*this, n.end.get());
  n.body.accept(*this);
}
void Visitor::visit(Jump &n) { walk(*this, n.value.get()); }
void Visitor::visit(BlockStmt &n) { n.block.accept(*this); }
void Visitor::visit(Probe &n) {
  for (auto &ap : n.attach_points)
    ap->accept(*this);
  walk(*this, n.predicate.get());
  n.body.accept(*this);
}
void Visitor::visit(ConfigEntry &n) { walk(*this, n.value.get()); }
void Visitor::visit(Macro &n) { n.body.accept(*this); }
void Visitor::visit(MapDecl &) {}
void Visitor::visit(Program &n) {
  for (auto &c : n.c_definitions)
    c->accept(*this);
  for (auto &c : n.config)
    c->accept(*this);
  for (auto &i : n.imports)
    i->accept(*this);
  for (auto &m : n.map_decls)
    m->accept(*this);
  for (auto &m : n.macros)
    m->accept(*this);
  for (auto &p : n.probes)
    p->accept(*this);
}

} // namespace sonde::ast
