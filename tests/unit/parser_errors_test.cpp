// Exact diagnostics for every class of lexical and syntax error.

#include "parser_test_support.h"

#include <gtest/gtest.h>

namespace sonde::parser::testing {
namespace {

TEST(ParserErrors, MissingSemicolonBetweenStatements) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { $x = 1 $y = 2 })bt"),
            R"bt(stdin:1:16-18: ERROR: syntax error, unexpected variable, expecting } or ;
BEGIN { $x = 1 $y = 2 }
               ~~
)bt");
}

TEST(ParserErrors, UnexpectedClosingBrace) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { $x = })bt"),
            R"bt(stdin:1:14: ERROR: syntax error, unexpected }
BEGIN { $x = }
             ~
)bt");
}

TEST(ParserErrors, UnexpectedEndOfFileInBlock) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN {)bt"),
            R"bt(stdin:1:8: ERROR: syntax error, unexpected end of file
BEGIN {
       ~
)bt");
}

TEST(ParserErrors, ProbeWithoutBlock) {
  EXPECT_EQ(parse_errors(R"bt(kprobe:f)bt"),
            R"bt(stdin:1:9: ERROR: syntax error, unexpected end of file, expecting { or , or /
kprobe:f
        ~
)bt");
}

TEST(ParserErrors, MissingCloseParen) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { printf("%d\n" 1) })bt"),
            R"bt(stdin:1:23: ERROR: syntax error, unexpected integer, expecting ) or ,
BEGIN { printf("%d\n" 1) }
                      ~
)bt");
}

TEST(ParserErrors, MapKeyNotClosed) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { @x[1 = 2 })bt"),
            R"bt(stdin:1:14: ERROR: syntax error, unexpected =, expecting ] or ,
BEGIN { @x[1 = 2 }
             ~
)bt");
}

TEST(ParserErrors, IfNeedsABlock) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { if $x print($x); })bt"),
            R"bt(stdin:1:15-20: ERROR: syntax error, unexpected identifier, expecting {
BEGIN { if $x print($x); }
              ~~~~~
)bt");
}

TEST(ParserErrors, ElseNeedsBlock) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { if ($x) { } else })bt"),
            R"bt(stdin:1:26: ERROR: syntax error, unexpected }, expecting if or {
BEGIN { if ($x) { } else }
                         ~
)bt");
}

TEST(ParserErrors, ForNeedsColon) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { for ($kv in @m) { } })bt"),
            R"bt(stdin:1:18-20: ERROR: syntax error, unexpected identifier, expecting :
BEGIN { for ($kv in @m) { } }
                 ~~
)bt");
}

TEST(ParserErrors, LetNeedsVariableInBody) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { let @x = hash(1); })bt"),
            R"bt(stdin:1:13-15: ERROR: syntax error, unexpected map, expecting variable
BEGIN { let @x = hash(1); }
            ~~
)bt");
}

TEST(ParserErrors, LetTypeMissing) {
  EXPECT_EQ(
      parse_errors(R"bt(BEGIN { let $x: = 1 })bt"),
      R"bt(stdin:1:17: ERROR: syntax error, unexpected =
BEGIN { let $x: = 1 }
                ~
)bt");
}

TEST(ParserErrors, ConfigValueMustBeSimple) {
  EXPECT_EQ(parse_errors(R"bt(config = { x = 1 + 2 })bt"),
            R"bt(stdin:1:18: ERROR: syntax error, unexpected +, expecting } or ;
config = { x = 1 + 2 }
                 ~
)bt");
}

TEST(ParserErrors, StrayClosingBraceAtTopLevel) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { @x = 1 }})bt"),
            R"bt(stdin:1:17: ERROR: syntax error, unexpected }
BEGIN { @x = 1 }}
                ~
)bt");
}

TEST(ParserErrors, EmptyPredicate) {
  EXPECT_EQ(parse_errors(R"bt(kprobe:f /pid ==/ { })bt"),
            R"bt(stdin:1:17: ERROR: syntax error, unexpected end of predicate
kprobe:f /pid ==/ { }
                ~
)bt");
}

TEST(ParserErrors, CastNeedsTypeName) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { $x = (1 + 2) $y; })bt"),
            R"bt(stdin:1:15-20: ERROR: syntax error: a cast needs a type name in the parentheses
BEGIN { $x = (1 + 2) $y; }
              ~~~~~
)bt");
}

TEST(ParserErrors, InvalidAttachPoint) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { } 123 { })bt"),
            R"bt(stdin:1:11-14: ERROR: invalid attach point '123'
BEGIN { } 123 { }
          ~~~
)bt");
}

TEST(ParserErrors, ShebangNotAtStart) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { }
#!/bin/sh)bt"),
            R"bt(stdin:2:1-10: ERROR: a shebang line is only allowed at the start
#!/bin/sh
~~~~~~~~~
)bt");
}

TEST(ParserErrors, SeveralSyntaxErrors) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { $x = 1 +; } kprobe:f { print(; }
END { $y = ; })bt"),
            R"bt(stdin:1:17: ERROR: syntax error, unexpected ;
BEGIN { $x = 1 +; } kprobe:f { print(; }
                ~
stdin:1:38: ERROR: syntax error, unexpected ;
BEGIN { $x = 1 +; } kprobe:f { print(; }
                                     ~
stdin:2:12: ERROR: syntax error, unexpected ;
END { $y = ; }
           ~
)bt");
}

TEST(ParserErrors, BadIntegerLiterals) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN {
  $a = 12abc;
  $b = 0x;
  $c = 09;
  $d = 1__0;
  $e = 5parsecs;
})bt"),
            R"bt(stdin:2:8-13: ERROR: invalid integer literal '12abc'
  $a = 12abc;
       ~~~~~
stdin:3:8-10: ERROR: invalid integer literal '0x'
  $b = 0x;
       ~~
stdin:4:8-10: ERROR: invalid digit '9' in octal literal '09'
  $c = 09;
       ~~
stdin:5:8-12: ERROR: invalid integer literal '1__0'
  $d = 1__0;
       ~~~~
stdin:6:8-16: ERROR: invalid integer literal '5parsecs'
  $e = 5parsecs;
       ~~~~~~~~
)bt");
}

TEST(ParserErrors, IntegerLiteralsOutOfRange) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN {
  $a = 18446744073709551616;
  $b = 0x10000000000000000;
  $c = 20000000000h;
  $d = 1e20;
})bt"),
            R"bt(stdin:2:8-28: ERROR: integer literal '18446744073709551616' does not fit in 64 bits
  $a = 18446744073709551616;
       ~~~~~~~~~~~~~~~~~~~~
stdin:3:8-27: ERROR: integer literal '0x10000000000000000' does not fit in 64 bits
  $b = 0x10000000000000000;
       ~~~~~~~~~~~~~~~~~~~
stdin:4:8-20: ERROR: integer literal '20000000000h' does not fit in 64 bits
  $c = 20000000000h;
       ~~~~~~~~~~~~
stdin:5:8-12: ERROR: integer literal '1e20' does not fit in 64 bits
  $d = 1e20;
       ~~~~
)bt");
}

TEST(ParserErrors, UnterminatedString) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { printf("abc); })bt"),
            R"bt(stdin:1:16-24: ERROR: unterminated string
BEGIN { printf("abc); }
               ~~~~~~~~
stdin:1:24: ERROR: syntax error, unexpected end of file
BEGIN { printf("abc); }
                       ~
)bt");
}

TEST(ParserErrors, UnterminatedStringAtEndOfFile) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { printf("abc)bt"),
            R"bt(stdin:1:16-20: ERROR: unterminated string
BEGIN { printf("abc
               ~~~~
stdin:1:20: ERROR: syntax error, unexpected end of file
BEGIN { printf("abc
                   ~
)bt");
}

TEST(ParserErrors, UnterminatedComment) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { /* never closed
})bt"),
            R"bt(stdin:1:9-11: ERROR: unterminated comment
BEGIN { /* never closed
        ~~
stdin:2:2: ERROR: syntax error, unexpected end of file
}
 ~
)bt");
}

TEST(ParserErrors, UnterminatedCDefinition) {
  EXPECT_EQ(parse_errors(R"bt(struct S { int a;
BEGIN { })bt"),
            R"bt(stdin:1:1-7: ERROR: unterminated C definition
struct S { int a;
~~~~~~
)bt");
}

TEST(ParserErrors, BadEscapes) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { $x = "\q \777 \x"; })bt"),
            R"bt(stdin:1:15-17: ERROR: invalid escape sequence '\q'
BEGIN { $x = "\q \777 \x"; }
              ~~
stdin:1:18-22: ERROR: octal escape \777 is out of range (max \377)
BEGIN { $x = "\q \777 \x"; }
                 ~~~~
stdin:1:23-25: ERROR: invalid escape sequence '\x'
BEGIN { $x = "\q \777 \x"; }
                      ~~
)bt");
}

TEST(ParserErrors, PositionalParamZero) {
  EXPECT_EQ(
      parse_errors(R"bt(BEGIN { $x = $0; })bt"),
      R"bt(stdin:1:14-16: ERROR: invalid positional parameter $0: parameters are numbered from $1
BEGIN { $x = $0; }
             ~~
)bt");
}

TEST(ParserErrors, PositionalParamOutOfRange) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { $x = $99999999999; })bt"),
            R"bt(stdin:1:14-26: ERROR: positional parameter $99999999999 is out of range
BEGIN { $x = $99999999999; }
             ~~~~~~~~~~~~
)bt");
}

TEST(ParserErrors, InvalidCharacters) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { $x = `1` + $ + 2; })bt"),
            R"bt(stdin:1:14: ERROR: invalid character '`'
BEGIN { $x = `1` + $ + 2; }
             ~
stdin:1:16: ERROR: invalid character '`'
BEGIN { $x = `1` + $ + 2; }
               ~
stdin:1:20: ERROR: invalid character '$'
BEGIN { $x = `1` + $ + 2; }
                   ~
stdin:1:22: ERROR: syntax error, unexpected +
BEGIN { $x = `1` + $ + 2; }
                     ~
)bt");
}

TEST(ParserErrors, InvalidByte) {
  EXPECT_EQ(parse_errors("BEGIN { \x01 }"),
            "stdin:1:9: ERROR: invalid character 0x01\nBEGIN { \\x01 }\n        ~~~~\n");
}

TEST(ParserErrors, HashInsideBody) {
  EXPECT_EQ(parse_errors(R"bt(BEGIN { $x = 1 # comment? })bt"),
            R"bt(stdin:1:16: ERROR: invalid character '#'
BEGIN { $x = 1 # comment? }
               ~
stdin:1:18-25: ERROR: syntax error, unexpected identifier, expecting } or ;
BEGIN { $x = 1 # comment? }
                 ~~~~~~~
)bt");
}

TEST(ParserErrors, FailedParseReturnsNoProgram) {
  Source source{"stdin", "BEGIN { $x = 09; }"};
  Diagnostics diags(source);
  EXPECT_EQ(parse(source, diags), nullptr);
  EXPECT_TRUE(diags.has_errors());
}

TEST(ParserErrors, ErrorCountIsCapped) {
  std::string text = "BEGIN {";
  for (int i = 0; i < 50; i++)
    text += " $x = 0x;";
  text += " }";
  Source source{"stdin", text};
  Diagnostics diags(source);
  EXPECT_EQ(parse(source, diags), nullptr);
  ASSERT_EQ(diags.all().size(), 21u);
  EXPECT_EQ(diags.all().back().message, "too many errors, giving up");
}

TEST(ParserErrors, OverlongStatement) {
  std::string text = "BEGIN { $x = 1";
  for (int i = 0; i < 2000; i++)
    text += " + 1";
  text += "; }";
  Source source{"stdin", text};
  Diagnostics diags(source);
  EXPECT_EQ(parse(source, diags), nullptr);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].message, "statement too long: more than 3000 tokens");
}

TEST(ParserErrors, LongAttachPointListsAreNotLongStatements) {
  std::string text = "kprobe:f0";
  for (int i = 1; i < 5000; i++)
    text += ",kprobe:f" + std::to_string(i);
  text += " { }";
  EXPECT_EQ(parse_errors(text), "");
}

TEST(ParserErrors, DeepExpressionsWithinTheLimitParse) {
  std::string text = "BEGIN { $x = " + std::string(1000, '(') + std::string(1000, '-') + "1" +
                     std::string(1000, ')') + "; }";
  EXPECT_EQ(parse_errors(text), "");
}

TEST(ParserErrors, BlocksNestedTooDeep) {
  std::string text = "BEGIN " + std::string(200, '{') + std::string(200, '}');
  Source source{"stdin", text};
  Diagnostics diags(source);
  EXPECT_EQ(parse(source, diags), nullptr);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].message, "blocks nested too deep: more than 100 levels");
}

// A long else-if chain nests one If per branch: bounded like blocks, so
// that no recursive pass over the tree (codegen above all) can overflow.
TEST(ParserErrors, ElseIfChainsNestedTooDeep) {
  auto chain = [](int branches) {
    std::string text = "BEGIN { if ($x == 0) { }";
    for (int i = 1; i < branches; i++)
      text += " else if ($x == " + std::to_string(i) + ") { }";
    return text + " }";
  };
  Source fits{"stdin", chain(998)};
  Diagnostics fine(fits);
  EXPECT_NE(parse(fits, fine), nullptr);
  EXPECT_FALSE(fine.has_errors());
  Source source{"stdin", chain(40000)};
  Diagnostics diags(source);
  EXPECT_EQ(parse(source, diags), nullptr);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].message,
            "statements nested too deep: more than 1000 levels of blocks and else-if branches");
  EXPECT_EQ(diags.all()[0].loc.begin_line, 1);
  EXPECT_GT(diags.all()[0].loc.begin_col, 1);
}

TEST(ParserErrors, NulBytesAreInvalidCharacters) {
  std::string text("BEGIN { \0 }", 11);
  EXPECT_EQ(parse_errors(text),
            "stdin:1:9: ERROR: invalid character 0x00\nBEGIN { \\x00 }\n        ~~~~\n");
}

} // namespace
} // namespace sonde::parser::testing
