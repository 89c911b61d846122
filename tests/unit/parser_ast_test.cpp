// Golden AST output for every construct of the grammar.

#include "parser_test_support.h"

#include <gtest/gtest.h>

namespace sonde::parser::testing {
namespace {

TEST(ParserAst, ProbeWithPredicateAndBlock) {
  EXPECT_EQ(parse_to_text(R"bt(kprobe:vfs_read /pid == 1/ { @reads[comm] = count(); })bt"),
            R"bt(Program
  Probe
    AttachPoint kprobe:vfs_read
    Predicate
      Binary ==
        Identifier pid
        IntegerLiteral 1
    Block
      Assign =
        MapRef @reads
          Identifier comm
        Call count
)bt");
}

TEST(ParserAst, CommaListAcrossLines) {
  EXPECT_EQ(parse_to_text(R"bt(kprobe:vfs_read,
  kprobe:vfs_write,
tracepoint:syscalls:sys_enter_*
{
  @[probe] = count()
})bt"),
            R"bt(Program
  Probe
    AttachPoint kprobe:vfs_read
    AttachPoint kprobe:vfs_write
    AttachPoint tracepoint:syscalls:sys_enter_*
    Block
      Assign =
        MapRef @
          Identifier probe
        Call count
)bt");
}

TEST(ParserAst, BeginEndSpellings) {
  EXPECT_EQ(parse_to_text(R"bt(BEGIN { } begin { } END { } end { })bt"),
            R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
  Probe
    AttachPoint begin
    Block
  Probe
    AttachPoint END
    Block
  Probe
    AttachPoint end
    Block
)bt");
}

TEST(ParserAst, EmptyProgram) {
  EXPECT_EQ(parse_to_text(R"bt()bt"),
            R"bt(Program
)bt");
}

TEST(ParserAst, Shebang) {
  EXPECT_EQ(parse_to_text(R"bt(#!/usr/bin/env sonde
BEGIN { exit(); })bt"),
            R"bt(Program
  Shebang "/usr/bin/env sonde"
  Probe
    AttachPoint BEGIN
    Block
      ExprStmt
        Call exit
)bt");
}

TEST(ParserAst, PreprocessorAndCDefinitions) {
  EXPECT_EQ(parse_to_text(R"bt(#include <linux/sched.h>
#define MAX 10
struct S { int a; char b[8]; }
union U { int i; struct { long x; } s; };
enum E { A = 1, B };
typedef unsigned int u32;
struct Fwd;
BEGIN { })bt"),
            R"bt(Program
  CDefinition "#include <linux/sched.h>"
  CDefinition "#define MAX 10"
  CDefinition "struct S { int a; char b[8]; }"
  CDefinition "union U { int i; struct { long x; } s; };"
  CDefinition "enum E { A = 1, B };"
  CDefinition "typedef unsigned int u32;"
  CDefinition "struct Fwd;"
  Probe
    AttachPoint BEGIN
    Block
)bt");
}

TEST(ParserAst, PreprocessorContinuation) {
  EXPECT_EQ(parse_to_text(R"bt(#define TWO_LINES(x) \
  (x + 1)
BEGIN { })bt"),
            R"bt(Program
  CDefinition "#define TWO_LINES(x) \\\n  (x + 1)"
  Probe
    AttachPoint BEGIN
    Block
)bt");
}

TEST(ParserAst, ConfigBlock) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(config = { max_strlen = 128; stack_mode = perf; print_maps_on_exit = false; name = "x"; }
BEGIN { })bt"),
      R"bt(Program
  ConfigEntry max_strlen
    IntegerLiteral 128
  ConfigEntry stack_mode
    Identifier perf
  ConfigEntry print_maps_on_exit
    BoolLiteral false
  ConfigEntry name
    StringLiteral "x"
  Probe
    AttachPoint BEGIN
    Block
)bt");
}

TEST(ParserAst, EmptyConfigBlock) {
  EXPECT_EQ(parse_to_text(R"bt(config = {}
BEGIN { })bt"),
            R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
)bt");
}

TEST(ParserAst, MapDeclarations) {
  EXPECT_EQ(parse_to_text(R"bt(let @a = lruhash(100);
let @b = percpuarray(1);
BEGIN { @a[1] = 1; })bt"),
            R"bt(Program
  MapDecl @a lruhash(100)
  MapDecl @b percpuarray(1)
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        MapRef @a
          IntegerLiteral 1
        IntegerLiteral 1
)bt");
}

TEST(ParserAst, Macro) {
  EXPECT_EQ(parse_to_text(R"bt(macro add_one($x) { $x + 1 }
macro both(@m, $k, name) { @m[$k] = name; }
macro none() { 1 }
BEGIN { $y = add_one(1); })bt"),
            R"bt(Program
  Macro add_one($x)
    Block
      ExprStmt
        Binary +
          Variable $x
          IntegerLiteral 1
  Macro both(@m, $k, name)
    Block
      Assign =
        MapRef @m
          Variable $k
        Identifier name
  Macro none()
    Block
      ExprStmt
        IntegerLiteral 1
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $y
        Call add_one
          IntegerLiteral 1
)bt");
}

TEST(ParserAst, Literals) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { print(100); print(0x1f); print(0755); print(1_000_000); print(1e6); print(10ull); print(0); print(18446744073709551615); print(true); print(false); print("s"); })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      ExprStmt
        Call print
          IntegerLiteral 100
      ExprStmt
        Call print
          IntegerLiteral 31
      ExprStmt
        Call print
          IntegerLiteral 493
      ExprStmt
        Call print
          IntegerLiteral 1000000
      ExprStmt
        Call print
          IntegerLiteral 1000000
      ExprStmt
        Call print
          IntegerLiteral 10
      ExprStmt
        Call print
          IntegerLiteral 0
      ExprStmt
        Call print
          IntegerLiteral 18446744073709551615
      ExprStmt
        Call print
          BoolLiteral true
      ExprStmt
        Call print
          BoolLiteral false
      ExprStmt
        Call print
          StringLiteral "s"
)bt");
}

TEST(ParserAst, Durations) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { print(7ns); print(10us); print(100ms); print(5s); print(1m); print(1h); })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      ExprStmt
        Call print
          IntegerLiteral 7
      ExprStmt
        Call print
          IntegerLiteral 10000
      ExprStmt
        Call print
          IntegerLiteral 100000000
      ExprStmt
        Call print
          IntegerLiteral 5000000000
      ExprStmt
        Call print
          IntegerLiteral 60000000000
      ExprStmt
        Call print
          IntegerLiteral 3600000000000
)bt");
}

TEST(ParserAst, StringEscapes) {
  EXPECT_EQ(parse_to_text(R"bt(BEGIN { printf("a\n\t\r\"\\ \101\0\x41\x7 end"); })bt"),
            R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      ExprStmt
        Call printf
          StringLiteral "a\n\t\r\"\\ A\x00A\x07 end"
)bt");
}

TEST(ParserAst, PositionalParams) {
  EXPECT_EQ(parse_to_text(R"bt(BEGIN { print($1); print($12); print($#); print(str($2)); })bt"),
            R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      ExprStmt
        Call print
          PositionalParam $1
      ExprStmt
        Call print
          PositionalParam $12
      ExprStmt
        Call print
          PositionalParam $#
      ExprStmt
        Call print
          Call str
            PositionalParam $2
)bt");
}

TEST(ParserAst, VariablesAndMaps) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { $x = 1; @ = 1; @[1] = 2; @m = 3; @m[1, "a"] = 4; @n[(1, 2)] = 5; })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $x
        IntegerLiteral 1
      Assign =
        MapRef @
        IntegerLiteral 1
      Assign =
        MapRef @
          IntegerLiteral 1
        IntegerLiteral 2
      Assign =
        MapRef @m
        IntegerLiteral 3
      Assign =
        MapRef @m
          IntegerLiteral 1
          StringLiteral "a"
        IntegerLiteral 4
      Assign =
        MapRef @n
          Tuple
            IntegerLiteral 1
            IntegerLiteral 2
        IntegerLiteral 5
)bt");
}

TEST(ParserAst, PrecedenceArithmetic) {
  EXPECT_EQ(parse_to_text(R"bt(BEGIN { $x = 1 + 2 * 3 - 4 / 5 % 6; })bt"),
            R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $x
        Binary -
          Binary +
            IntegerLiteral 1
            Binary *
              IntegerLiteral 2
              IntegerLiteral 3
          Binary %
            Binary /
              IntegerLiteral 4
              IntegerLiteral 5
            IntegerLiteral 6
)bt");
}

TEST(ParserAst, PrecedenceShiftsAndComparisons) {
  EXPECT_EQ(parse_to_text(R"bt(BEGIN { $x = 1 << 2 + 3 < 4 >> 1 == 5 != 6 <= 7; })bt"),
            R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $x
        Binary !=
          Binary ==
            Binary <
              Binary <<
                IntegerLiteral 1
                Binary +
                  IntegerLiteral 2
                  IntegerLiteral 3
              Binary >>
                IntegerLiteral 4
                IntegerLiteral 1
            IntegerLiteral 5
          Binary <=
            IntegerLiteral 6
            IntegerLiteral 7
)bt");
}

TEST(ParserAst, PrecedenceBitwiseAndLogical) {
  EXPECT_EQ(parse_to_text(R"bt(BEGIN { $x = 1 | 2 ^ 3 & 4 || 5 && 6 | 7; })bt"),
            R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $x
        Binary ||
          Binary |
            IntegerLiteral 1
            Binary ^
              IntegerLiteral 2
              Binary &
                IntegerLiteral 3
                IntegerLiteral 4
          Binary &&
            IntegerLiteral 5
            Binary |
              IntegerLiteral 6
              IntegerLiteral 7
)bt");
}

TEST(ParserAst, TernaryNestsRight) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { $x = $a ? 1 : $b ? 2 : 3; $y = $a ?: 4; $z = $a || $b ? $c : $d; })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $x
        Ternary
          Variable $a
          IntegerLiteral 1
          Ternary
            Variable $b
            IntegerLiteral 2
            IntegerLiteral 3
      Assign =
        Variable $y
        Ternary ?:
          Variable $a
          IntegerLiteral 4
      Assign =
        Variable $z
        Ternary
          Binary ||
            Variable $a
            Variable $b
          Variable $c
          Variable $d
)bt");
}

TEST(ParserAst, UnaryOperators) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { $x = -$a; $x = !$a; $x = ~$a; $x = *$p; $x = &$a; $x = - -1; $x = !!$a; })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $x
        Unary -
          Variable $a
      Assign =
        Variable $x
        Unary !
          Variable $a
      Assign =
        Variable $x
        Unary ~
          Variable $a
      Assign =
        Variable $x
        Unary *
          Variable $p
      Assign =
        Variable $x
        Unary &
          Variable $a
      Assign =
        Variable $x
        Unary -
          Unary -
            IntegerLiteral 1
      Assign =
        Variable $x
        Unary !
          Unary !
            Variable $a
)bt");
}

TEST(ParserAst, IncrementDecrement) {
  EXPECT_EQ(parse_to_text(R"bt(BEGIN { $i++; $i--; ++$i; --$i; @c++; @c[1]--; ++@c; --@c[1]; })bt"),
            R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      ExprStmt
        Unary ++ (post)
          Variable $i
      ExprStmt
        Unary -- (post)
          Variable $i
      ExprStmt
        Unary ++ (pre)
          Variable $i
      ExprStmt
        Unary -- (pre)
          Variable $i
      ExprStmt
        Unary ++ (post)
          MapRef @c
      ExprStmt
        Unary -- (post)
          MapRef @c
            IntegerLiteral 1
      ExprStmt
        Unary ++ (pre)
          MapRef @c
      ExprStmt
        Unary -- (pre)
          MapRef @c
            IntegerLiteral 1
)bt");
}

TEST(ParserAst, Assignments) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { $a = 1; $a += 1; $a -= 1; $a *= 2; $a /= 2; $a %= 2; $a &= 1; $a |= 1; $a ^= 1; $a <<= 1; $a >>= 1; @m[1] += 5; })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $a
        IntegerLiteral 1
      Assign +=
        Variable $a
        IntegerLiteral 1
      Assign -=
        Variable $a
        IntegerLiteral 1
      Assign *=
        Variable $a
        IntegerLiteral 2
      Assign /=
        Variable $a
        IntegerLiteral 2
      Assign %=
        Variable $a
        IntegerLiteral 2
      Assign &=
        Variable $a
        IntegerLiteral 1
      Assign |=
        Variable $a
        IntegerLiteral 1
      Assign ^=
        Variable $a
        IntegerLiteral 1
      Assign <<=
        Variable $a
        IntegerLiteral 1
      Assign >>=
        Variable $a
        IntegerLiteral 1
      Assign +=
        MapRef @m
          IntegerLiteral 1
        IntegerLiteral 5
)bt");
}

TEST(ParserAst, CastsToBuiltinTypes) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { $a = (uint32)-1; $b = (int8)$x; $c = (bool)1; $d = (uint8[8])$n; $e = (int8 **)arg0; $f = (string)$s; })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $a
        Cast (uint32)
          Unary -
            IntegerLiteral 1
      Assign =
        Variable $b
        Cast (int8)
          Variable $x
      Assign =
        Variable $c
        Cast (bool)
          IntegerLiteral 1
      Assign =
        Variable $d
        Cast (uint8[8])
          Variable $n
      Assign =
        Variable $e
        Cast (int8 **)
          Identifier arg0
      Assign =
        Variable $f
        Cast (string)
          Variable $s
)bt");
}

TEST(ParserAst, CastsToStructs) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { $p = (struct path *)arg0; $u = (union u *)arg1; $e = (enum e)1; $s = (struct task_struct **)curtask; })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $p
        Cast (struct path *)
          Identifier arg0
      Assign =
        Variable $u
        Cast (union u *)
          Identifier arg1
      Assign =
        Variable $e
        Cast (enum e)
          IntegerLiteral 1
      Assign =
        Variable $s
        Cast (struct task_struct **)
          Identifier curtask
)bt");
}

TEST(ParserAst, CastsToTypedefNames) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { $a = (pid_t)1; $b = (char *)arg0; $c = (size_t)$x; $d = (u32)!$y; })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $a
        Cast (pid_t)
          IntegerLiteral 1
      Assign =
        Variable $b
        Cast (char *)
          Identifier arg0
      Assign =
        Variable $c
        Cast (size_t)
          Variable $x
      Assign =
        Variable $d
        Cast (u32)
          Unary !
            Variable $y
)bt");
}

TEST(ParserAst, ParenthesizedNamesStayExpressions) {
  EXPECT_EQ(
      parse_to_text(R"bt(BEGIN { $a = (pid) - 1; $b = (pid) * 2; $c = (pid)++; $d = (x) & 1; })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $a
        Binary -
          Identifier pid
          IntegerLiteral 1
      Assign =
        Variable $b
        Binary *
          Identifier pid
          IntegerLiteral 2
      Assign =
        Variable $c
        Unary ++ (post)
          Identifier pid
      Assign =
        Variable $d
        Binary &
          Identifier x
          IntegerLiteral 1
)bt");
}

TEST(ParserAst, FieldAccessAndIndexing) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { $a = args->filename; $b = args.count; $c = $s->f.g; $d = $arr[1][2]; $e = @m[1].f; $f = $t.0; $g = $t.1.0; })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $a
        FieldAccess ->filename
          Identifier args
      Assign =
        Variable $b
        FieldAccess .count
          Identifier args
      Assign =
        Variable $c
        FieldAccess .g
          FieldAccess ->f
            Variable $s
      Assign =
        Variable $d
        Index
          Index
            Variable $arr
            IntegerLiteral 1
          IntegerLiteral 2
      Assign =
        Variable $e
        FieldAccess .f
          MapRef @m
            IntegerLiteral 1
      Assign =
        Variable $f
        TupleIndex .0
          Variable $t
      Assign =
        Variable $g
        TupleIndex .0
          TupleIndex .1
            Variable $t
)bt");
}

TEST(ParserAst, TuplesAndRecords) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { $t = (1, "a"); $u = (1, (2, 3), $x); $r = (a = 1, b = "x"); $s = (only = 1); print(((1))); })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $t
        Tuple
          IntegerLiteral 1
          StringLiteral "a"
      Assign =
        Variable $u
        Tuple
          IntegerLiteral 1
          Tuple
            IntegerLiteral 2
            IntegerLiteral 3
          Variable $x
      Assign =
        Variable $r
        Record
          Field a
            IntegerLiteral 1
          Field b
            StringLiteral "x"
      Assign =
        Variable $s
        Record
          Field only
            IntegerLiteral 1
      ExprStmt
        Call print
          IntegerLiteral 1
)bt");
}

TEST(ParserAst, CallsWithArguments) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { exit(); print(@m, 10, 2); printf("%d %s\n", pid, comm); kstack(5); ustack(perf, 3); nsecs(monotonic); delete(@m[1]); delete(@m, 1); })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      ExprStmt
        Call exit
      ExprStmt
        Call print
          MapRef @m
          IntegerLiteral 10
          IntegerLiteral 2
      ExprStmt
        Call printf
          StringLiteral "%d %s\n"
          Identifier pid
          Identifier comm
      ExprStmt
        Call kstack
          IntegerLiteral 5
      ExprStmt
        Call ustack
          Identifier perf
          IntegerLiteral 3
      ExprStmt
        Call nsecs
          Identifier monotonic
      ExprStmt
        Call delete
          MapRef @m
            IntegerLiteral 1
      ExprStmt
        Call delete
          MapRef @m
          IntegerLiteral 1
)bt");
}

TEST(ParserAst, SizeofAndOffsetof) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { $a = sizeof(uint32); $b = sizeof(struct task_struct); $c = sizeof($x); $d = sizeof(pid_t); $e = sizeof(struct s *); $f = sizeof(char *); $g = offsetof(struct S, f); $h = offsetof(struct S, f.g); $i = offsetof($x, f); $j = sizeof(uint8[4]); })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $a
        Call sizeof
          TypeExpr uint32
      Assign =
        Variable $b
        Call sizeof
          TypeExpr struct task_struct
      Assign =
        Variable $c
        Call sizeof
          Variable $x
      Assign =
        Variable $d
        Call sizeof
          Identifier pid_t
      Assign =
        Variable $e
        Call sizeof
          TypeExpr struct s *
      Assign =
        Variable $f
        Call sizeof
          TypeExpr char *
      Assign =
        Variable $g
        Call offsetof
          TypeExpr struct S
          Identifier f
      Assign =
        Variable $h
        Call offsetof
          TypeExpr struct S
          FieldAccess .g
            Identifier f
      Assign =
        Variable $i
        Call offsetof
          Variable $x
          Identifier f
      Assign =
        Variable $j
        Call sizeof
          TypeExpr uint8[4]
)bt");
}

TEST(ParserAst, LetDeclarations) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { let $a; let $b = 1; let $c: uint16; let $d: uint16 = 5; let $e: struct foo *; let $f: string = "x"; let $g: uint8[4]; let $h: pid_t = 1; })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      VarDecl $a
      VarDecl $b
        IntegerLiteral 1
      VarDecl $c: uint16
      VarDecl $d: uint16
        IntegerLiteral 5
      VarDecl $e: struct foo *
      VarDecl $f: string
        StringLiteral "x"
      VarDecl $g: uint8[4]
      VarDecl $h: pid_t
        IntegerLiteral 1
)bt");
}

TEST(ParserAst, IfElseChains) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { if ($x) { print(1); } if ($x > 1) { print(2) } else { print(3) } if ($a) { } else if ($b) { } else if ($c) { } else { } })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      If
        Variable $x
        Block
          ExprStmt
            Call print
              IntegerLiteral 1
      If
        Binary >
          Variable $x
          IntegerLiteral 1
        Block
          ExprStmt
            Call print
              IntegerLiteral 2
        Else
          Block
            ExprStmt
              Call print
                IntegerLiteral 3
      If
        Variable $a
        Block
        ElseIf
          Variable $b
          Block
        ElseIf
          Variable $c
          Block
        Else
          Block
)bt");
}

// `else if` nests an If in the else block of the branch before it; the
// printed form is flat, so that it grows linearly with the chain.
TEST(ParserAst, ElseIfChainsNestAndPrintFlat) {
  std::string text = "BEGIN { if ($x == 0) { }";
  for (int i = 1; i < 500; i++)
    text += " else if ($x == " + std::to_string(i) + ") { }";
  text += " }";
  Source source{"stdin", text};
  Diagnostics diags(source);
  auto program = parse(source, diags);
  ASSERT_NE(program, nullptr);
  auto *chain = dynamic_cast<ast::If *>(program->probes[0]->body.stmts[0].get());
  ASSERT_NE(chain, nullptr);
  ASSERT_TRUE(chain->else_block);
  EXPECT_NE(dynamic_cast<ast::If *>(chain->else_block->stmts[0].get()), nullptr);
  std::string printed = parse_to_text(text);
  EXPECT_LT(printed.size(), 200u * 500); // printed nested, it grows with the square
}

TEST(ParserAst, Loops) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { while ($i < 10) { $i++; if ($i == 5) { break; } continue; } unroll(3) { print(1); } for ($kv : @m) { print($kv.0); } for ($i : 0..10) { } for ($j : $a + 1..@n) { } })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      While
        Binary <
          Variable $i
          IntegerLiteral 10
        Block
          ExprStmt
            Unary ++ (post)
              Variable $i
          If
            Binary ==
              Variable $i
              IntegerLiteral 5
            Block
              Jump break
          Jump continue
      Unroll
        IntegerLiteral 3
        Block
          ExprStmt
            Call print
              IntegerLiteral 1
      ForMap $kv
        MapRef @m
        Block
          ExprStmt
            Call print
              TupleIndex .0
                Variable $kv
      ForRange $i
        IntegerLiteral 0
        IntegerLiteral 10
        Block
      ForRange $j
        Binary +
          Variable $a
          IntegerLiteral 1
        MapRef @n
        Block
)bt");
}

TEST(ParserAst, ConditionsAndLoopHeadsNeedNoParentheses) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { while $i < 10 { if $i == 5 { break } else if $i { } else { } } unroll 3 { } for $kv : @m { } for $i : 0..$n { } })bt"),
      parse_to_text(
          R"bt(BEGIN { while ($i < 10) { if ($i == 5) { break } else if ($i) { } else { } } unroll(3) { } for ($kv : @m) { } for ($i : 0..$n) { } })bt"));
}

TEST(ParserAst, JumpsAndBareBlocks) {
  EXPECT_EQ(
      parse_to_text(
          R"bt(BEGIN { { $x = 1; { $y = 2 } } return; } kprobe:f { return 1 } kprobe:g { break })bt"),
      R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Block
        Assign =
          Variable $x
          IntegerLiteral 1
        Block
          Assign =
            Variable $y
            IntegerLiteral 2
      Jump return
  Probe
    AttachPoint kprobe:f
    Block
      Jump return
        IntegerLiteral 1
  Probe
    AttachPoint kprobe:g
    Block
      Jump break
)bt");
}

TEST(ParserAst, SemicolonsAreFlexible) {
  EXPECT_EQ(parse_to_text(R"bt(BEGIN { ; $a = 1;; if ($a) { }; $b = 2 } END { $c = 3; })bt"),
            R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $a
        IntegerLiteral 1
      If
        Variable $a
        Block
      Assign =
        Variable $b
        IntegerLiteral 2
  Probe
    AttachPoint END
    Block
      Assign =
        Variable $c
        IntegerLiteral 3
)bt");
}

TEST(ParserAst, PredicateWithDivision) {
  EXPECT_EQ(parse_to_text(R"bt(kprobe:f / $x / 2 == 1 / { } kprobe:g /(arg0 / 4) > 1/ { })bt"),
            R"bt(Program
  Probe
    AttachPoint kprobe:f
    Predicate
      Binary ==
        Binary /
          Variable $x
          IntegerLiteral 2
        IntegerLiteral 1
    Block
  Probe
    AttachPoint kprobe:g
    Predicate
      Binary >
        Binary /
          Identifier arg0
          IntegerLiteral 4
        IntegerLiteral 1
    Block
)bt");
}

TEST(ParserAst, PredicateOnItsOwnLine) {
  EXPECT_EQ(parse_to_text(R"bt(tracepoint:syscalls:sys_exit_read
/args->ret > 0/
{
  @bytes = sum(args->ret);
})bt"),
            R"bt(Program
  Probe
    AttachPoint tracepoint:syscalls:sys_exit_read
    Predicate
      Binary >
        FieldAccess ->ret
          Identifier args
        IntegerLiteral 0
    Block
      Assign =
        MapRef @bytes
        Call sum
          FieldAccess ->ret
            Identifier args
)bt");
}

TEST(ParserAst, CommentsAroundPredicate) {
  EXPECT_EQ(parse_to_text(R"bt(kprobe:f /pid/ /* why */ // more
{ }
kprobe:g /* a */ /comm == "a/ {"/ { })bt"),
            R"bt(Program
  Probe
    AttachPoint kprobe:f
    Predicate
      Identifier pid
    Block
  Probe
    AttachPoint kprobe:g
    Predicate
      Binary ==
        Identifier comm
        StringLiteral "a/ {"
    Block
)bt");
}

TEST(ParserAst, CDefinitionWithComments) {
  EXPECT_EQ(parse_to_text(R"bt(struct X {
  int a; // not the end }
  /* nor } this */ char b;
};
BEGIN { })bt"),
            R"bt(Program
  CDefinition "struct X {\n  int a; // not the end }\n  /* nor } this */ char b;\n};"
  Probe
    AttachPoint BEGIN
    Block
)bt");
}

TEST(ParserAst, Comments) {
  EXPECT_EQ(parse_to_text(R"bt(// leading comment
/* block
 comment */ BEGIN /* between */ { // trailing
  $x = 1; /* inline */ $y = 2 // end
}
)bt"),
            R"bt(Program
  Probe
    AttachPoint BEGIN
    Block
      Assign =
        Variable $x
        IntegerLiteral 1
      Assign =
        Variable $y
        IntegerLiteral 2
)bt");
}

} // namespace
} // namespace sonde::parser::testing
