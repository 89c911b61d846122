// Decoding of integer literals and string escapes.

#include "common/literals.h"

#include <gtest/gtest.h>

namespace sonde::parser {
namespace {

uint64_t value_of(const char *text) {
  auto literal = parse_integer_literal(text);
  EXPECT_EQ(literal.error, "") << text;
  return literal.value;
}

std::string error_of(const char *text) { return parse_integer_literal(text).error; }

TEST(ParserLiterals, Decimal) {
  EXPECT_EQ(value_of("0"), 0u);
  EXPECT_EQ(value_of("100"), 100u);
  EXPECT_EQ(value_of("18446744073709551615"), 18446744073709551615u);
  EXPECT_EQ(value_of("1_000_000"), 1000000u);
}

TEST(ParserLiterals, HexAndOctal) {
  EXPECT_EQ(value_of("0x1f"), 31u);
  EXPECT_EQ(value_of("0XFF"), 255u);
  EXPECT_EQ(value_of("0xffff_ffff"), 0xffffffffu);
  EXPECT_EQ(value_of("0xffffffffffffffff"), 0xffffffffffffffffu);
  EXPECT_EQ(value_of("0755"), 0755u);
  EXPECT_EQ(value_of("00"), 0u);
}

TEST(ParserLiterals, Exponent) {
  EXPECT_EQ(value_of("1e6"), 1000000u);
  EXPECT_EQ(value_of("5E3"), 5000u);
  EXPECT_EQ(value_of("0e400"), 0u);
  EXPECT_EQ(value_of("1e19"), 10000000000000000000u);
}

TEST(ParserLiterals, CSuffixesAreIgnored) {
  for (const char *text : {"10u", "10U", "10l", "10ul", "10lu", "10LL", "10ull", "10llu"})
    EXPECT_EQ(value_of(text), 10u) << text;
  EXPECT_EQ(value_of("0x10UL"), 16u);
  EXPECT_EQ(value_of("010u"), 8u);
}

TEST(ParserLiterals, DurationsInNanoseconds) {
  EXPECT_EQ(value_of("7ns"), 7u);
  EXPECT_EQ(value_of("10us"), 10'000u);
  EXPECT_EQ(value_of("100ms"), 100'000'000u);
  EXPECT_EQ(value_of("5s"), 5'000'000'000u);
  EXPECT_EQ(value_of("1m"), 60'000'000'000u);
  EXPECT_EQ(value_of("1h"), 3'600'000'000'000u);
  EXPECT_EQ(value_of("1_000ms"), 1'000'000'000u);
}

TEST(ParserLiterals, Invalid) {
  EXPECT_EQ(error_of("12abc"), "invalid integer literal '12abc'");
  EXPECT_EQ(error_of("0x"), "invalid integer literal '0x'");
  EXPECT_EQ(error_of("0xg"), "invalid integer literal '0xg'");
  EXPECT_EQ(error_of("1__0"), "invalid integer literal '1__0'");
  EXPECT_EQ(error_of("1_"), "invalid integer literal '1_'");
  EXPECT_EQ(error_of("10uu"), "invalid integer literal '10uu'");
  EXPECT_EQ(error_of("1e"), "invalid integer literal '1e'");
  EXPECT_EQ(error_of("1e6ms"), "invalid integer literal '1e6ms'");
  EXPECT_EQ(error_of("10sec"), "invalid integer literal '10sec'");
  EXPECT_EQ(error_of("09"), "invalid digit '9' in octal literal '09'");
  EXPECT_EQ(error_of("0778"), "invalid digit '8' in octal literal '0778'");
}

TEST(ParserLiterals, OutOfRange) {
  EXPECT_EQ(error_of("18446744073709551616"),
            "integer literal '18446744073709551616' does not fit in 64 bits");
  EXPECT_EQ(error_of("0x1_0000_0000_0000_0000"),
            "integer literal '0x1_0000_0000_0000_0000' does not fit in 64 bits");
  EXPECT_EQ(error_of("1e20"), "integer literal '1e20' does not fit in 64 bits");
  EXPECT_EQ(error_of("5124096h"), "integer literal '5124096h' does not fit in 64 bits");
  EXPECT_EQ(error_of("2000000000000000000000"),
            "integer literal '2000000000000000000000' does not fit in 64 bits");
}

TEST(ParserLiterals, SimpleEscapes) {
  EXPECT_EQ(simple_escape('n'), '\n');
  EXPECT_EQ(simple_escape('t'), '\t');
  EXPECT_EQ(simple_escape('r'), '\r');
  EXPECT_EQ(simple_escape('"'), '"');
  EXPECT_EQ(simple_escape('\\'), '\\');
  EXPECT_EQ(simple_escape('q'), -1);
  EXPECT_EQ(simple_escape('0'), -1);
}

} // namespace
} // namespace sonde::parser
