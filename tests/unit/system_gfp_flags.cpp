#include "system/gfp_flags.h"

#include <gtest/gtest.h>

namespace sonde::system {
namespace {

// The shape of kmem:kmalloc's table on Linux 6.18, shortened to a few entries.
constexpr const char *kPrintFormat =
    R"(print fmt: "gfp_flags=%s", (REC->gfp_flags) ? __print_flags(REC->gfp_flags, "|", )"
    R"({( unsigned long)((( gfp_t)(((((1UL))) << (10))|((((1UL))) << (11)))) | (( gfp_t)((((1UL))) << (6))) | (( gfp_t)((((1UL))) << (7)))), "GFP_KERNEL"}, )"
    R"({( unsigned long)((( gfp_t)((((1UL))) << (5)))|(( gfp_t)((((1UL))) << (11)))), "GFP_ATOMIC"}, )"
    R"({( unsigned long)(( gfp_t)(((((1UL))) << (10))|((((1UL))) << (11)))), "__GFP_RECLAIM"}, )"
    R"({( unsigned long)(( gfp_t)((((1UL))) << (8))), "__GFP_ZERO"}, )"
    R"({( unsigned long)(( gfp_t)0x400000UL), "__GFP_ACCOUNT"}, )"
    R"({ 0, ((void *)0) } ) : "none")";

TEST(GfpFlags, ParsesTheTracepointTable) {
  auto names = parse_gfp_flag_names(kPrintFormat);
  ASSERT_TRUE(names) << names.error();
  ASSERT_EQ(names->size(), 5u);
  EXPECT_EQ((*names)[0].name, "GFP_KERNEL");
  EXPECT_EQ((*names)[0].mask, 0xcc0u);
  EXPECT_EQ((*names)[1].name, "GFP_ATOMIC");
  EXPECT_EQ((*names)[1].mask, 0x820u);
  EXPECT_EQ((*names)[2].mask, 0xc00u);
  EXPECT_EQ((*names)[3].mask, 0x100u);
  EXPECT_EQ((*names)[4].mask, 0x400000u);
}

TEST(GfpFlags, NamesCombinationsFirstThenBitsThenHex) {
  auto names = parse_gfp_flag_names(kPrintFormat);
  ASSERT_TRUE(names) << names.error();
  EXPECT_EQ(gfp_flags_text(0xcc0, *names), "GFP_KERNEL");
  EXPECT_EQ(gfp_flags_text(0xcc0 | 0x100, *names), "GFP_KERNEL|__GFP_ZERO");
  EXPECT_EQ(gfp_flags_text(0x820 | 0x10000, *names), "GFP_ATOMIC|0x10000");
  EXPECT_EQ(gfp_flags_text(0x3, *names), "0x3");
  EXPECT_EQ(gfp_flags_text(0, *names), "none");
}

TEST(GfpFlags, RefusesAFormatWithoutTheTable) {
  EXPECT_FALSE(parse_gfp_flag_names(R"(print fmt: "x=%d", REC->x)"));
  EXPECT_FALSE(parse_gfp_flag_names(R"(__print_flags(REC->gfp_flags, "|", {( gfp_t)(, "X"})"));
}

} // namespace
} // namespace sonde::system
