#pragma once

// Helpers for the actions of grammar/parser.yy: node construction and the
// token stream between the flex scanner and the parser.

#include "parser.tab.hh"

#include <memory>
#include <string>
#include <vector>

namespace sonde::parser::detail {

template <class T> std::unique_ptr<T> make(const ast::Location &loc) {
  auto node = std::make_unique<T>();
  node->loc = loc;
  return node;
}

ast::ExprPtr integer_literal(uint64_t value, const ast::Location &loc);
ast::ExprPtr string_literal(std::string value, const ast::Location &loc);
ast::ExprPtr bool_literal(bool value, const ast::Location &loc);
ast::ExprPtr identifier(std::string name, const ast::Location &loc);
ast::ExprPtr type_expr(ast::TypeName type);
ast::ExprPtr call(std::string name, std::vector<ast::ExprPtr> args, const ast::Location &loc);
ast::ExprPtr unary(ast::UnaryOp op, ast::ExprPtr operand, const ast::Location &loc);
ast::ExprPtr binary(ast::BinaryOp op, ast::ExprPtr lhs, ast::ExprPtr rhs, const ast::Location &loc);
ast::ExprPtr ternary(ast::ExprPtr cond, ast::ExprPtr then_expr, ast::ExprPtr else_expr,
                     const ast::Location &loc);
// A block as an expression; with `has_value`, its last statement (an
// expression statement) is its value.
ast::ExprPtr block_expr(std::vector<ast::StmtPtr> stmts, bool has_value, const ast::Location &loc);
ast::ExprPtr field_access(ast::ExprPtr base, std::string field, bool arrow,
                          const ast::Location &loc);
ast::ExprPtr cast(ast::TypeName target, ast::ExprPtr operand, const ast::Location &loc);
// `(name)operand`: a cast when `parenthesized` is a bare name, an error
// otherwise.
ast::ExprPtr ident_cast(ParseState &ps, ast::ExprPtr parenthesized, ast::ExprPtr operand,
                        const ast::Location &loc);
// `target = value` or `target op= value`; `_ = value` only evaluates value.
ast::StmtPtr assignment(ast::ExprPtr target, std::optional<ast::BinaryOp> compound,
                        ast::ExprPtr value, const ast::Location &loc);
ast::StmtPtr jump(ast::JumpKind kind, ast::ExprPtr value, const ast::Location &loc);
ast::StmtPtr for_map(const ast::Location &loc, std::string var, const ast::Location &map_loc,
                     std::string map, ast::Block body);
ast::StmtPtr for_range(const ast::Location &loc, std::string var, ast::ExprPtr start,
                       ast::ExprPtr end, ast::Block body);
std::unique_ptr<ast::AttachPoint> attach_point(std::string raw, const ast::Location &loc);

// How a grammar symbol name reads in a syntax error: `}` rather than `"}"`.
std::string token_display_name(const char *symbol_name);

// The next token for the parser. Also bounds nesting: a statement of too many
// tokens or blocks nested too deep end the parse with an error, so that no
// later recursive pass over the tree can run out of stack.
Parser::symbol_type next_token(ParseState &ps);

} // namespace sonde::parser::detail
