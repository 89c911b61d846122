#include "types/format_string.h"

#include <gtest/gtest.h>

namespace sonde::types {
namespace {

FormatString parse_ok(std::string_view format) {
  auto result = parse_format_string(format);
  EXPECT_TRUE(std::holds_alternative<FormatString>(result)) << format;
  return std::get<FormatString>(result);
}

FormatError parse_error(std::string_view format) {
  auto result = parse_format_string(format);
  EXPECT_TRUE(std::holds_alternative<FormatError>(result)) << format;
  return std::get<FormatError>(result);
}

FormatSpec only_spec(std::string_view format) {
  FormatString parsed = parse_ok(format);
  EXPECT_EQ(parsed.arg_count(), 1u);
  for (const auto &segment : parsed.segments)
    if (segment.spec)
      return *segment.spec;
  return {};
}

TEST(FormatString, LiteralTextAndPercentEscape) {
  FormatString parsed = parse_ok("100%% done\n");
  ASSERT_EQ(parsed.segments.size(), 1u);
  EXPECT_EQ(parsed.segments[0].literal, "100% done\n");
  EXPECT_FALSE(parsed.segments[0].spec);
  EXPECT_EQ(parsed.arg_count(), 0u);
}

TEST(FormatString, SegmentsAlternate) {
  FormatString parsed = parse_ok("pid %d comm %s\n");
  ASSERT_EQ(parsed.segments.size(), 5u);
  EXPECT_EQ(parsed.segments[0].literal, "pid ");
  EXPECT_EQ(parsed.segments[1].spec->conversion, Conversion::Signed);
  EXPECT_EQ(parsed.segments[2].literal, " comm ");
  EXPECT_EQ(parsed.segments[3].spec->conversion, Conversion::String);
  EXPECT_EQ(parsed.segments[3].spec->offset, 12u);
  EXPECT_EQ(parsed.segments[3].spec->length, 2u);
  EXPECT_EQ(parsed.segments[4].literal, "\n");
  EXPECT_EQ(parsed.arg_count(), 2u);
}

TEST(FormatString, FlagsWidthPrecision) {
  FormatSpec spec = only_spec("%-0+ #12.5d");
  EXPECT_TRUE(spec.left_align);
  EXPECT_TRUE(spec.zero_pad);
  EXPECT_TRUE(spec.plus);
  EXPECT_TRUE(spec.space);
  EXPECT_TRUE(spec.alternate);
  EXPECT_EQ(spec.width, 12);
  EXPECT_EQ(spec.precision, 5);
  EXPECT_EQ(spec.text("%-0+ #12.5d"), "%-0+ #12.5d");

  FormatSpec bare = only_spec("%s");
  EXPECT_FALSE(bare.width);
  EXPECT_FALSE(bare.precision);

  // "%.s" is a precision of zero, as in C.
  EXPECT_EQ(only_spec("%.s").precision, 0);
}

TEST(FormatString, LengthModifiers) {
  EXPECT_EQ(only_spec("%hhd").length_modifier, LengthModifier::Char);
  EXPECT_EQ(only_spec("%hd").length_modifier, LengthModifier::Short);
  EXPECT_EQ(only_spec("%ld").length_modifier, LengthModifier::Long);
  EXPECT_EQ(only_spec("%llu").length_modifier, LengthModifier::LongLong);
  EXPECT_EQ(only_spec("%zx").length_modifier, LengthModifier::Size);
  EXPECT_EQ(only_spec("%jX").length_modifier, LengthModifier::IntMax);
  EXPECT_EQ(only_spec("%to").length_modifier, LengthModifier::PtrDiff);
  EXPECT_EQ(only_spec("%d").length_modifier, LengthModifier::None);
}

TEST(FormatString, Conversions) {
  EXPECT_EQ(only_spec("%i").conversion, Conversion::Signed);
  EXPECT_EQ(only_spec("%u").conversion, Conversion::Unsigned);
  EXPECT_EQ(only_spec("%o").conversion, Conversion::Octal);
  EXPECT_EQ(only_spec("%x").conversion, Conversion::Hex);
  EXPECT_EQ(only_spec("%X").conversion, Conversion::HexUpper);
  EXPECT_EQ(only_spec("%c").conversion, Conversion::Char);
  EXPECT_EQ(only_spec("%p").conversion, Conversion::Pointer);
  EXPECT_EQ(only_spec("%r").conversion, Conversion::Buffer);
  EXPECT_EQ(only_spec("%rx").conversion, Conversion::BufferHex);
  EXPECT_EQ(only_spec("%rh").conversion, Conversion::BufferHexSpaced);
  EXPECT_EQ(only_spec("%rh").length, 3u);
  EXPECT_EQ(only_spec("%gr").conversion, Conversion::GfpFlags);
  EXPECT_EQ(only_spec("%-20gr").length, 6u);
}

TEST(FormatString, ErrorsPointAtTheSpec) {
  FormatError unknown = parse_error("a %q b");
  EXPECT_EQ(unknown.offset, 2u);
  EXPECT_EQ(unknown.message, "unknown format specifier '%q'");

  FormatError incomplete = parse_error("value: %-5");
  EXPECT_EQ(incomplete.offset, 7u);
  EXPECT_EQ(incomplete.message, "incomplete format specifier '%-5'");

  FormatError star = parse_error("%*d");
  EXPECT_EQ(star.offset, 1u);
  EXPECT_EQ(star.message, "'*' width is not supported, write a number");

  FormatError length = parse_error("x %ls");
  EXPECT_EQ(length.offset, 2u);
  EXPECT_EQ(length.message, "length modifier not allowed in '%ls'");

  FormatError huge = parse_error("%99999999d");
  EXPECT_EQ(huge.offset, 1u);
  EXPECT_EQ(huge.message, "width is too large (at most 65536)");
}

TEST(FormatString, CheckArgumentCount) {
  std::string format = "%d %s\n";
  FormatString parsed = parse_ok(format);
  auto i64 = Type::integer(8, true);
  auto str = Type::string(16);

  EXPECT_FALSE(check_format_args("printf", format, parsed, {i64, str}));

  auto many = check_format_args("printf", format, parsed, {i64, str, i64});
  ASSERT_TRUE(many);
  EXPECT_FALSE(many->arg_index);
  EXPECT_EQ(many->message, "printf: Too many arguments for format string (3 supplied, 2 expected)");

  auto few = check_format_args("cat", format, parsed, {i64});
  ASSERT_TRUE(few);
  EXPECT_EQ(few->message, "cat: Too few arguments for format string (1 supplied, 2 expected)");
}

TEST(FormatString, CheckArgumentTypes) {
  std::string format = "%s %d %c %r %p";
  FormatString parsed = parse_ok(format);
  auto i64 = Type::integer(8, true);
  auto str = Type::string(16);
  auto buf = Type::buffer(8);
  auto tuple = Type::tuple({i64, str});
  auto ptr = Type::pointer(i64);

  // %s takes any value but a number or an address; %p an integer or
  // pointer; %r a buffer or string.
  EXPECT_FALSE(check_format_args("printf", format, parsed, {tuple, i64, i64, buf, ptr}));
  EXPECT_FALSE(check_format_args("printf", format, parsed, {str, ptr, i64, str, i64}));

  auto number = check_format_args("printf", format, parsed, {i64, i64, i64, buf, ptr});
  ASSERT_TRUE(number);
  EXPECT_EQ(number->arg_index, 0u);
  EXPECT_EQ(number->message, "printf: %s expects a string (int64 supplied)");

  auto wrong = check_format_args("printf", format, parsed, {str, str, i64, buf, ptr});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->arg_index, 1u);
  EXPECT_EQ(wrong->message, "printf: %d expects an integer or pointer (string supplied)");

  auto not_buffer = check_format_args("printf", format, parsed, {str, i64, i64, i64, ptr});
  ASSERT_TRUE(not_buffer);
  EXPECT_EQ(not_buffer->arg_index, 3u);
  EXPECT_EQ(not_buffer->message, "printf: %r expects a buffer or string (int64 supplied)");

  auto not_char = check_format_args("printf", format, parsed, {str, i64, ptr, buf, ptr});
  ASSERT_TRUE(not_char);
  EXPECT_EQ(not_char->message, "printf: %c expects an integer (int64 * supplied)");
}

} // namespace
} // namespace sonde::types
