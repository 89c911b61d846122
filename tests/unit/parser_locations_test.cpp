// Source ranges of nodes: sema and codegen report errors with them, so each
// node's range must cover exactly its text (end column is one past the end).

#include "parser_test_support.h"

#include <gtest/gtest.h>

namespace sonde::parser::testing {
namespace {

std::unique_ptr<ast::Program> parse_ok(const std::string &text) {
  Source source{"stdin", text};
  Diagnostics diags(source);
  auto program = parse(source, diags);
  EXPECT_TRUE(program) << diags.render();
  return program;
}

// The text a single-line range covers.
std::string covered(const std::string &line, const ast::Location &loc) {
  EXPECT_EQ(loc.begin_line, loc.end_line);
  return line.substr(loc.begin_col - 1, loc.end_col - loc.begin_col);
}

template <class T> T &as(ast::Node &node) {
  auto *typed = dynamic_cast<T *>(&node);
  EXPECT_NE(typed, nullptr);
  return *typed;
}

TEST(ParserLocations, StatementsAndExpressions) {
  const std::string text =
      R"(kprobe:vfs_read /pid == 1/ { printf("%d\n", 1 + @x[$k, 2]); $t = (uint32)$y.0; })";
  auto program = parse_ok(text);
  ASSERT_TRUE(program);
  auto &probe = *program->probes[0];
  EXPECT_EQ(covered(text, probe.loc), text);
  EXPECT_EQ(covered(text, probe.predicate->loc), "pid == 1");
  EXPECT_EQ(covered(text, probe.body.loc), text.substr(text.find('{')));

  auto &print = as<ast::ExprStmt>(*probe.body.stmts[0]);
  EXPECT_EQ(covered(text, print.loc), R"(printf("%d\n", 1 + @x[$k, 2]))");
  auto &call = as<ast::Call>(*print.expr);
  EXPECT_EQ(covered(text, call.loc), R"(printf("%d\n", 1 + @x[$k, 2]))");
  EXPECT_EQ(covered(text, call.args[0]->loc), R"("%d\n")");
  auto &sum = as<ast::Binary>(*call.args[1]);
  EXPECT_EQ(covered(text, sum.loc), "1 + @x[$k, 2]");
  auto &map = as<ast::MapRef>(*sum.rhs);
  EXPECT_EQ(covered(text, map.loc), "@x[$k, 2]");
  EXPECT_EQ(covered(text, map.keys[0]->loc), "$k");

  auto &assign = as<ast::Assign>(*probe.body.stmts[1]);
  EXPECT_EQ(covered(text, assign.loc), "$t = (uint32)$y.0");
  auto &cast = as<ast::Cast>(*assign.value);
  EXPECT_EQ(covered(text, cast.loc), "(uint32)$y.0");
  EXPECT_EQ(covered(text, cast.target.loc), "uint32");
  EXPECT_EQ(covered(text, cast.operand->loc), "$y.0");
}

TEST(ParserLocations, TypesAndDeclarations) {
  const std::string text =
      "BEGIN { let $p: struct task_struct * = 0; $s = sizeof(struct S); $o = (pid_t)1; }";
  auto program = parse_ok(text);
  ASSERT_TRUE(program);
  auto &body = program->probes[0]->body;
  auto &decl = as<ast::VarDecl>(*body.stmts[0]);
  EXPECT_EQ(covered(text, decl.loc), "let $p: struct task_struct * = 0");
  EXPECT_EQ(covered(text, decl.declared_type->loc), "struct task_struct *");
  auto &size = as<ast::Call>(*as<ast::Assign>(*body.stmts[1]).value);
  EXPECT_EQ(covered(text, size.args[0]->loc), "struct S");
  auto &cast = as<ast::Cast>(*as<ast::Assign>(*body.stmts[2]).value);
  EXPECT_EQ(covered(text, cast.target.loc), "pid_t");
}

TEST(ParserLocations, MultiLineNodes) {
  auto program = parse_ok("BEGIN {\n  if ($x) {\n    exit();\n  }\n}\n");
  ASSERT_TRUE(program);
  auto &stmt = *program->probes[0]->body.stmts[0];
  EXPECT_EQ(stmt.loc.begin_line, 2);
  EXPECT_EQ(stmt.loc.begin_col, 3);
  EXPECT_EQ(stmt.loc.end_line, 4);
  EXPECT_EQ(stmt.loc.end_col, 4);
  auto &exit_call = *as<ast::If>(stmt).then_block.stmts[0];
  EXPECT_EQ(exit_call.loc.begin_line, 3);
  EXPECT_EQ(exit_call.loc.begin_col, 5);
  EXPECT_EQ(exit_call.loc.end_col, 11);
}

TEST(ParserLocations, TopLevelItems) {
  const std::string text = "#include <a.h>\nstruct S { int a; };\nconfig = { x = 1 }\nBEGIN { }";
  auto program = parse_ok(text);
  ASSERT_TRUE(program);
  EXPECT_EQ(program->c_definitions[0]->loc.begin_line, 1);
  EXPECT_EQ(program->c_definitions[0]->loc.end_col, 15);
  EXPECT_EQ(program->c_definitions[1]->loc.begin_line, 2);
  EXPECT_EQ(program->c_definitions[1]->loc.end_col, 21);
  EXPECT_EQ(program->config[0]->loc.begin_line, 3);
  // The key alone: errors about a config entry underline its name.
  EXPECT_EQ(program->config[0]->loc.begin_col, 12);
  EXPECT_EQ(program->config[0]->loc.end_col, 13);
}

} // namespace
} // namespace sonde::parser::testing
