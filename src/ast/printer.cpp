#include "ast/printer.h"

#include "ast/visitor.h"

#include <cstdio>
#include <ostream>
#include <string>

namespace sonde::ast {

namespace {

std::string quoted(const std::string &text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    default:
      if (c < 0x20 || c >= 0x7f) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        out += hex;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out + "\"";
}

std::string type_text(const TypeName &type) {
  std::string text = type.typeof_expr ? "typeof(...)" : type.base;
  if (type.pointer_depth > 0)
    text += " " + std::string(type.pointer_depth, '*');
  if (type.array_length)
    text += *type.array_length ? "[" + std::to_string(*type.array_length) + "]" : "[]";
  return text;
}

const char *unary_op_text(UnaryOp op) {
  switch (op) {
  case UnaryOp::Neg:
    return "-";
  case UnaryOp::Not:
    return "!";
  case UnaryOp::BitNot:
    return "~";
  case UnaryOp::Deref:
    return "*";
  case UnaryOp::AddressOf:
    return "&";
  case UnaryOp::PreInc:
    return "++ (pre)";
  case UnaryOp::PreDec:
    return "-- (pre)";
  case UnaryOp::PostInc:
    return "++ (post)";
  case UnaryOp::PostDec:
    return "-- (post)";
  }
  return "?";
}

const char *binary_op_text(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add:
    return "+";
  case BinaryOp::Sub:
    return "-";
  case BinaryOp::Mul:
    return "*";
  case BinaryOp::Div:
    return "/";
  case BinaryOp::Mod:
    return "%";
  case BinaryOp::BitAnd:
    return "&";
  case BinaryOp::BitOr:
    return "|";
  case BinaryOp::BitXor:
    return "^";
  case BinaryOp::Shl:
    return "<<";
  case BinaryOp::Shr:
    return ">>";
  case BinaryOp::Eq:
    return "==";
  case BinaryOp::Ne:
    return "!=";
  case BinaryOp::Lt:
    return "<";
  case BinaryOp::Le:
    return "<=";
  case BinaryOp::Gt:
    return ">";
  case BinaryOp::Ge:
    return ">=";
  case BinaryOp::LogicalAnd:
    return "&&";
  case BinaryOp::LogicalOr:
    return "||";
  }
  return "?";
}

const char *jump_text(JumpKind kind) {
  switch (kind) {
  case JumpKind::Break:
    return "break";
  case JumpKind::Continue:
    return "continue";
  case JumpKind::Return:
    return "return";
  }
  return "?";
}

// The If of `else if`: an If alone in the else block.
If *else_if(Block &else_block) {
  return else_block.stmts.size() == 1 ? dynamic_cast<If *>(else_block.stmts.front().get())
                                      : nullptr;
}

// One line per node, children indented two spaces deeper than their parent.
class Printer : public Visitor {
public:
  explicit Printer(std::ostream &out) : out_(out) {}

  void visit(IntegerLiteral &n) override { line("IntegerLiteral " + std::to_string(n.value)); }
  void visit(StringLiteral &n) override { line("StringLiteral " + quoted(n.value)); }
  void visit(BoolLiteral &n) override { line(n.value ? "BoolLiteral true" : "BoolLiteral false"); }
  void visit(PositionalParam &n) override {
    line(n.is_count ? "PositionalParam $#" : "PositionalParam $" + std::to_string(n.index));
  }
  void visit(Identifier &n) override { line("Identifier " + n.name); }
  void visit(Variable &n) override { line("Variable $" + n.name); }
  void visit(MapRef &n) override {
    nested("MapRef @" + n.name, [&] { Visitor::visit(n); });
  }
  void visit(TypeExpr &n) override { line("TypeExpr " + type_text(n.type_name)); }
  void visit(Call &n) override {
    nested("Call " + n.name, [&] { Visitor::visit(n); });
  }
  void visit(Unary &n) override {
    nested(std::string("Unary ") + unary_op_text(n.op), [&] { Visitor::visit(n); });
  }
  void visit(Binary &n) override {
    nested(std::string("Binary ") + binary_op_text(n.op), [&] { Visitor::visit(n); });
  }
  void visit(Ternary &n) override {
    nested(n.then_expr ? "Ternary" : "Ternary ?:", [&] { Visitor::visit(n); });
  }
  void visit(FieldAccess &n) override {
    nested("FieldAccess " + std::string(n.arrow ? "->" : ".") + n.field,
           [&] { Visitor::visit(n); });
  }
  void visit(TupleIndex &n) override {
    nested("TupleIndex ." + std::to_string(n.index), [&] { Visitor::visit(n); });
  }
  void visit(Index &n) override {
    nested("Index", [&] { Visitor::visit(n); });
  }
  void visit(Cast &n) override {
    nested("Cast (" + type_text(n.target) + ")", [&] { Visitor::visit(n); });
  }
  void visit(TupleExpr &n) override {
    nested("Tuple", [&] { Visitor::visit(n); });
  }
  void visit(RecordExpr &n) override {
    nested("Record", [&] {
      for (size_t i = 0; i < n.names.size() && i < n.values.size(); i++)
        nested("Field " + n.names[i], [&] { n.values[i]->accept(*this); });
    });
  }

  void visit(Block &n) override {
    nested("Block", [&] { Visitor::visit(n); });
  }
  void visit(BlockExpr &n) override {
    nested("BlockExpr", [&] { Visitor::visit(n); });
  }
  void visit(ExprStmt &n) override {
    nested("ExprStmt", [&] { Visitor::visit(n); });
  }
  void visit(Assign &n) override {
    std::string op = n.compound ? std::string(binary_op_text(*n.compound)) + "=" : "=";
    nested("Assign " + op, [&] { Visitor::visit(n); });
  }
  void visit(VarDecl &n) override {
    std::string text = "VarDecl $" + n.name;
    if (n.declared_type)
      text += ": " + type_text(*n.declared_type);
    nested(text, [&] { Visitor::visit(n); });
  }
  // An else-if chain prints flat, its branches side by side under the If,
  // so that a long chain takes lines in proportion to its length.
  void visit(If &n) override {
    nested("If", [&] {
      n.cond->accept(*this);
      n.then_block.accept(*this);
      for (If *branch = &n; branch->else_block;) {
        If *next = else_if(*branch->else_block);
        if (!next) {
          nested("Else", [&] { branch->else_block->accept(*this); });
          break;
        }
        nested("ElseIf", [&] {
          next->cond->accept(*this);
          next->then_block.accept(*this);
        });
        branch = next;
      }
    });
  }
  void visit(While &n) override {
    nested("While", [&] { Visitor::visit(n); });
  }
  void visit(Unroll &n) override {
    nested("Unroll", [&] { Visitor::visit(n); });
  }
  void visit(ForMap &n) override {
    nested("ForMap $" + n.var, [&] { Visitor::visit(n); });
  }
  void visit(ForRange &n) override {
    nested("ForRange $" + n.var, [&] { Visitor::visit(n); });
  }
  void visit(Jump &n) override {
    nested(std::string("Jump ") + jump_text(n.kind), [&] { Visitor::visit(n); });
  }
  void visit(BlockStmt &n) override { Visitor::visit(n); }

  void visit(AttachPoint &n) override { line("AttachPoint " + n.raw); }
  void visit(Probe &n) override {
    nested("Probe", [&] {
      for (auto &ap : n.attach_points)
        ap->accept(*this);
      if (n.predicate)
        nested("Predicate", [&] { n.predicate->accept(*this); });
      n.body.accept(*this);
    });
  }
  void visit(CDefinition &n) override { line("CDefinition " + quoted(n.text)); }
  void visit(Import &n) override { line("Import " + quoted(n.path)); }
  void visit(ConfigEntry &n) override {
    nested("ConfigEntry " + n.key, [&] { Visitor::visit(n); });
  }
  void visit(Macro &n) override {
    std::string params;
    for (const auto &p : n.params)
      params += (params.empty() ? "" : ", ") + p;
    nested("Macro " + n.name + "(" + params + ")", [&] { Visitor::visit(n); });
  }
  void visit(MapDecl &n) override {
    line("MapDecl @" + n.name + " " + n.kind + "(" + std::to_string(n.max_entries) + ")");
  }
  void visit(Program &n) override {
    nested("Program", [&] {
      if (!n.shebang.empty())
        line("Shebang " + quoted(n.shebang));
      Visitor::visit(n);
    });
  }

private:
  void line(const std::string &text) { out_ << std::string(2 * depth_, ' ') << text << "\n"; }

  template <class F> void nested(const std::string &text, F children) {
    line(text);
    depth_++;
    children();
    depth_--;
  }

  std::ostream &out_;
  int depth_ = 0;
};

} // namespace

void print(const Program &program, std::ostream &out) {
  Printer printer(out);
  // Visitors take mutable nodes; printing only reads them.
  const_cast<Program &>(program).accept(printer);
}

} // namespace sonde::ast
