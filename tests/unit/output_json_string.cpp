#include "runtime/output/json_string.h"

#include <gtest/gtest.h>

namespace sonde::output {
namespace {

TEST(JsonQuote, EscapesQuotesAndControlBytes) {
  EXPECT_EQ(json_quote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
}

TEST(JsonQuote, KeepsValidUtf8) {
  EXPECT_EQ(json_quote("h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\"h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(JsonQuote, ReplacesEachInvalidByte) {
  EXPECT_EQ(json_quote("a\xff"
                       "b"),
            "\"a\\ufffdb\"");
  // A character cut short, a lone continuation byte, an overlong '/', a
  // UTF-16 surrogate and a code point above U+10FFFF.
  EXPECT_EQ(json_quote("\xe2\x82"), "\"\\ufffd\\ufffd\"");
  EXPECT_EQ(json_quote("\x80x"), "\"\\ufffdx\"");
  EXPECT_EQ(json_quote("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
  EXPECT_EQ(json_quote("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
  EXPECT_EQ(json_quote("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

} // namespace
} // namespace sonde::output
