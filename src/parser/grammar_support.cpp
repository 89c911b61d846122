#include "parser/grammar_support.h"

#include <algorithm>

namespace sonde::parser::detail {

namespace {

// Far beyond any real statement; keeps tree depth (and so the recursion of
// every pass) bounded.
constexpr int kMaxStatementTokens = 3000;
constexpr int kMaxBlockDepth = 100;
// Blocks and `else if` branches together: the depth of statement nesting.
constexpr int kMaxNesting = 1000;

// The statement nesting at this token: blocks, plus the `else if` branches
// of the if-chains being read at each level (each is an If inside the Block
// of the previous branch's else).
int track_nesting(ParseState &ps, Parser::symbol_kind_type kind) {
  auto level = static_cast<size_t>(std::max(ps.brace_depth, 0));
  ps.else_ifs.resize(level + 1);
  if (kind == Parser::symbol_kind::S_LBRACE)
    ps.else_ifs[level] = 0;
  else if (kind == Parser::symbol_kind::S_IF && ps.previous_token == Parser::symbol_kind::S_ELSE)
    ps.else_ifs[level]++;
  else if (ps.previous_token == Parser::symbol_kind::S_RBRACE &&
           kind != Parser::symbol_kind::S_ELSE)
    ps.else_ifs[level] = 0;
  ps.previous_token = kind;
  int nesting = ps.brace_depth;
  for (int branches : ps.else_ifs)
    nesting += branches;
  return nesting;
}

} // namespace

ast::ExprPtr integer_literal(uint64_t value, const ast::Location &loc) {
  auto node = make<ast::IntegerLiteral>(loc);
  node->value = value;
  return node;
}

ast::ExprPtr string_literal(std::string value, const ast::Location &loc) {
  auto node = make<ast::StringLiteral>(loc);
  node->value = std::move(value);
  return node;
}

ast::ExprPtr bool_literal(bool value, const ast::Location &loc) {
  auto node = make<ast::BoolLiteral>(loc);
  node->value = value;
  return node;
}

ast::ExprPtr identifier(std::string name, const ast::Location &loc) {
  auto node = make<ast::Identifier>(loc);
  node->name = std::move(name);
  return node;
}

ast::ExprPtr type_expr(ast::TypeName type) {
  auto node = make<ast::TypeExpr>(type.loc);
  node->type_name = std::move(type);
  return node;
}

ast::ExprPtr call(std::string name, std::vector<ast::ExprPtr> args, const ast::Location &loc) {
  auto node = make<ast::Call>(loc);
  node->name = std::move(name);
  node->args = std::move(args);
  return node;
}

ast::ExprPtr unary(ast::UnaryOp op, ast::ExprPtr operand, const ast::Location &loc) {
  auto node = make<ast::Unary>(loc);
  node->op = op;
  node->operand = std::move(operand);
  return node;
}

ast::ExprPtr binary(ast::BinaryOp op, ast::ExprPtr lhs, ast::ExprPtr rhs,
                    const ast::Location &loc) {
  auto node = make<ast::Binary>(loc);
  node->op = op;
  node->lhs = std::move(lhs);
  node->rhs = std::move(rhs);
  return node;
}

ast::ExprPtr ternary(ast::ExprPtr cond, ast::ExprPtr then_expr, ast::ExprPtr else_expr,
                     const ast::Location &loc) {
  auto node = make<ast::Ternary>(loc);
  node->cond = std::move(cond);
  node->then_expr = std::move(then_expr);
  node->else_expr = std::move(else_expr);
  return node;
}

ast::StmtPtr assignment(ast::ExprPtr target, std::optional<ast::BinaryOp> compound,
                        ast::ExprPtr value, const ast::Location &loc) {
  auto *name = dynamic_cast<ast::Identifier *>(target.get());
  if (name && name->name == "_" && !compound) {
    auto discard = make<ast::ExprStmt>(loc);
    discard->expr = std::move(value);
    discard->discard = true;
    return discard;
  }
  auto stmt = make<ast::Assign>(loc);
  stmt->target = std::move(target);
  stmt->compound = compound;
  stmt->value = std::move(value);
  return stmt;
}

namespace {

// Whether a block's statements end in a value: an expression, or an if with
// an else (or a block) whose every branch ends in one.
bool ends_in_value(const std::vector<ast::StmtPtr> &stmts) {
  if (stmts.empty())
    return false;
  const ast::Stmt *last = stmts.back().get();
  if (auto *expr = dynamic_cast<const ast::ExprStmt *>(last))
    return !expr->discard;
  if (auto *block = dynamic_cast<const ast::BlockStmt *>(last))
    return ends_in_value(block->block.stmts);
  auto *branch = dynamic_cast<const ast::If *>(last);
  return branch && branch->else_block && ends_in_value(branch->then_block.stmts) &&
         ends_in_value(branch->else_block->stmts);
}

ast::ExprPtr block_value(ast::Block block) {
  return block_expr(std::move(block.stmts), true, block.loc);
}

// The value of a statement that ends_in_value() accepted, as an expression:
// an if becomes a ternary of its branches' blocks.
ast::ExprPtr statement_value(ast::StmtPtr stmt) {
  if (auto *expr = dynamic_cast<ast::ExprStmt *>(stmt.get()))
    return std::move(expr->expr);
  if (auto *block = dynamic_cast<ast::BlockStmt *>(stmt.get()))
    return block_value(std::move(block->block));
  auto &branch = static_cast<ast::If &>(*stmt);
  return ternary(std::move(branch.cond), block_value(std::move(branch.then_block)),
                 block_value(std::move(*branch.else_block)), branch.loc);
}

} // namespace

// `{ …; expr }` (`has_value`: no `;` after the expression). A block that
// ends in an if with an else whose branches have values has that if's value
// (`{ if ($a) { 1 } else { 2 } }`).
ast::ExprPtr block_expr(std::vector<ast::StmtPtr> stmts, bool has_value, const ast::Location &loc) {
  auto node = make<ast::BlockExpr>(loc);
  bool open_value = has_value && !stmts.empty() &&
                    dynamic_cast<ast::ExprStmt *>(stmts.back().get());
  bool compound_value = !stmts.empty() && !dynamic_cast<ast::ExprStmt *>(stmts.back().get()) &&
                        ends_in_value(stmts);
  if (open_value || compound_value) {
    node->value = statement_value(std::move(stmts.back()));
    stmts.pop_back();
  }
  node->block.loc = loc;
  node->block.stmts = std::move(stmts);
  return node;
}

ast::ExprPtr field_access(ast::ExprPtr base, std::string field, bool arrow,
                          const ast::Location &loc) {
  auto node = make<ast::FieldAccess>(loc);
  node->base = std::move(base);
  node->field = std::move(field);
  node->arrow = arrow;
  return node;
}

ast::ExprPtr cast(ast::TypeName target, ast::ExprPtr operand, const ast::Location &loc) {
  auto node = make<ast::Cast>(loc);
  node->target = std::move(target);
  node->operand = std::move(operand);
  return node;
}

ast::ExprPtr ident_cast(ParseState &ps, ast::ExprPtr parenthesized, ast::ExprPtr operand,
                        const ast::Location &loc) {
  auto *name = dynamic_cast<ast::Identifier *>(parenthesized.get());
  if (!name) {
    ps.error(parenthesized->loc, "syntax error: a cast needs a type name in the parentheses");
    return parenthesized;
  }
  ast::TypeName type;
  type.base = name->name;
  type.loc = name->loc;
  return cast(std::move(type), std::move(operand), loc);
}

ast::StmtPtr jump(ast::JumpKind kind, ast::ExprPtr value, const ast::Location &loc) {
  auto node = make<ast::Jump>(loc);
  node->kind = kind;
  node->value = std::move(value);
  return node;
}

ast::StmtPtr for_map(const ast::Location &loc, std::string var, const ast::Location &map_loc,
                     std::string map, ast::Block body) {
  auto node = make<ast::ForMap>(loc);
  node->var = std::move(var);
  node->map = make<ast::MapRef>(map_loc);
  node->map->name = std::move(map);
  node->body = std::move(body);
  return node;
}

ast::StmtPtr for_range(const ast::Location &loc, std::string var, ast::ExprPtr start,
                       ast::ExprPtr end, ast::Block body) {
  auto node = make<ast::ForRange>(loc);
  node->var = std::move(var);
  node->start = std::move(start);
  node->end = std::move(end);
  node->body = std::move(body);
  return node;
}

std::unique_ptr<ast::AttachPoint> attach_point(std::string raw, const ast::Location &loc) {
  auto node = make<ast::AttachPoint>(loc);
  node->raw = std::move(raw);
  return node;
}

std::string token_display_name(const char *symbol_name) {
  std::string name = symbol_name;
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
    return name.substr(1, name.size() - 2);
  return name;
}

Parser::symbol_type next_token(ParseState &ps) {
  if (ps.stopped)
    return Parser::make_END(ps.token);
  Parser::symbol_type token = sonde_lex(ps, ps.scanner);
  switch (token.kind()) {
  case Parser::symbol_kind::S_LBRACE:
  case Parser::symbol_kind::S_RBRACE:
  case Parser::symbol_kind::S_SEMI:
  case Parser::symbol_kind::S_ATTACH_POINT:
    ps.statement_tokens = 0;
    break;
  default:
    ps.statement_tokens++;
  }
  if (ps.statement_tokens > kMaxStatementTokens) {
    ps.error(token.location,
             "statement too long: more than " + std::to_string(kMaxStatementTokens) + " tokens");
    ps.stopped = true;
    return Parser::make_END(token.location);
  }
  if (ps.brace_depth > kMaxBlockDepth) {
    ps.error(token.location,
             "blocks nested too deep: more than " + std::to_string(kMaxBlockDepth) + " levels");
    ps.stopped = true;
    return Parser::make_END(token.location);
  }
  if (track_nesting(ps, token.kind()) > kMaxNesting) {
    ps.error(token.location, "statements nested too deep: more than " +
                                 std::to_string(kMaxNesting) +
                                 " levels of blocks and else-if branches");
    ps.stopped = true;
    return Parser::make_END(token.location);
  }
  return token;
}

} // namespace sonde::parser::detail
