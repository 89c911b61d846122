#pragma once

#include "ast/ast.h"

namespace sonde::ast {

// Double dispatch over the node types. Every `visit` of this base walks the
// node's children in source order, so a pass overrides only what it handles.
class Visitor {
public:
  virtual ~Visitor() = default;

  virtual void visit(IntegerLiteral &node);
  virtual void visit(StringLiteral &node);
  virtual void visit(BoolLiteral &node);
  virtual void visit(PositionalParam &node);
  virtual void visit(Identifier &node);
  virtual void visit(Variable &node);
  virtual void visit(MapRef &node);
  virtual void visit(TypeExpr &node);
  virtual void visit(Call &node);
  virtual void visit(Unary &node);
  virtual void visit(Binary &node);
  virtual void visit(Ternary &node);
  virtual void visit(FieldAccess &node);
  virtual void visit(TupleIndex &node);
  virtual void visit(Index &node);
  virtual void visit(Cast &node);
  virtual void visit(TupleExpr &node);
  virtual void visit(RecordExpr &node);
  virtual void visit(Block &node);
  virtual void visit(BlockExpr &node);
  virtual void visit(ExprStmt &node);
  virtual void visit(Assign &node);
  virtual void visit(VarDecl &node);
  virtual void visit(If &node);
  virtual void visit(While &node);
  virtual void visit(Unroll &node);
  virtual void visit(ForMap &node);
  virtual void visit(ForRange &node);
  virtual void visit(Jump &node);
  virtual void visit(BlockStmt &node);
  virtual void visit(AttachPoint &node);
  virtual void visit(Probe &node);
  virtual void visit(CDefinition &node);
  virtual void visit(Import &node);
  virtual void visit(ConfigEntry &node);
  virtual void visit(Macro &node);
  virtual void visit(MapDecl &node);
  virtual void visit(Program &node);

protected:
  void visit_block(Block &block);
};

} // namespace sonde::ast
