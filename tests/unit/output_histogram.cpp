#include "output_test_support.h"
#include "runtime/output/histogram_rows.h"
#include "types/histogram.h"

#include <gtest/gtest.h>

namespace sonde::output {
namespace {

using testing::buckets;
using types::hist_bucket_index;
using types::hist_bucket_upper;
using types::lhist_bucket_index;
using types::Type;

TEST(HistBuckets, Log2Indexes) {
  EXPECT_EQ(hist_bucket_index(-5, 0), 0u);
  EXPECT_EQ(hist_bucket_index(INT64_MIN, 0), 0u);
  EXPECT_EQ(hist_bucket_index(0, 0), 1u);
  EXPECT_EQ(hist_bucket_index(1, 0), 2u);
  EXPECT_EQ(hist_bucket_index(2, 0), 3u);
  EXPECT_EQ(hist_bucket_index(3, 0), 3u);
  EXPECT_EQ(hist_bucket_index(4, 0), 4u);
  EXPECT_EQ(hist_bucket_index(1023, 0), 11u);
  EXPECT_EQ(hist_bucket_index(1024, 0), 12u);
  EXPECT_EQ(hist_bucket_index(INT64_MAX, 0), 64u);
}

TEST(HistBuckets, SplitPowersOfTwo) {
  // hist(x, 3): one value per bucket below 16, then 8 buckets per power.
  EXPECT_EQ(hist_bucket_index(0, 3), 1u);
  EXPECT_EQ(hist_bucket_index(15, 3), 16u);
  EXPECT_EQ(hist_bucket_index(16, 3), 17u);
  EXPECT_EQ(hist_bucket_index(17, 3), 17u);
  EXPECT_EQ(hist_bucket_index(18, 3), 18u);
  EXPECT_EQ(hist_bucket_index(32, 3), 25u);
  EXPECT_EQ(hist_bucket_index(INT64_MAX, 3), uint64_t{61} << 3);
  EXPECT_EQ(hist_bucket_upper(17, 3), 18u);
  EXPECT_EQ(hist_bucket_upper(24, 3), 32u);
}

TEST(HistBuckets, EveryValueFallsInsideItsBucketBounds) {
  for (uint32_t bits = 0; bits <= 5; bits++) {
    uint64_t highest = hist_bucket_index(INT64_MAX, bits);
    EXPECT_LT(highest, Type::hist(bits)->hist_bucket_count());
    EXPECT_EQ(hist_bucket_upper(highest, bits), uint64_t{1} << 63);
    std::vector<int64_t> values;
    for (int64_t v = 0; v < 5000; v++)
      values.push_back(v);
    for (int shift = 12; shift < 63; shift++)
      for (int64_t delta : {-1, 0, 1, 12345})
        values.push_back((int64_t{1} << shift) + delta);
    for (int64_t v : values) {
      uint64_t index = hist_bucket_index(v, bits);
      ASSERT_GE(index, 1u);
      EXPECT_LE(hist_bucket_upper(index - 1, bits), static_cast<uint64_t>(v))
          << "bits " << bits << " value " << v;
      EXPECT_GT(hist_bucket_upper(index, bits), static_cast<uint64_t>(v))
          << "bits " << bits << " value " << v;
    }
  }
}

TEST(LhistBuckets, Indexes) {
  EXPECT_EQ(lhist_bucket_index(-1, 0, 100, 10), 0u);
  EXPECT_EQ(lhist_bucket_index(0, 0, 100, 10), 1u);
  EXPECT_EQ(lhist_bucket_index(9, 0, 100, 10), 1u);
  EXPECT_EQ(lhist_bucket_index(99, 0, 100, 10), 10u);
  EXPECT_EQ(lhist_bucket_index(100, 0, 100, 10), 11u);
  EXPECT_EQ(lhist_bucket_index(5000, 0, 100, 10), 11u);
  EXPECT_EQ(Type::lhist(0, 100, 10)->lhist_bucket_count(), 12u);
  // A step that does not divide the range: [9, 10) is the last regular bucket.
  EXPECT_EQ(lhist_bucket_index(9, 0, 10, 3), 4u);
  EXPECT_EQ(lhist_bucket_index(10, 0, 10, 3), 5u);
  EXPECT_EQ(Type::lhist(0, 10, 3)->lhist_bucket_count(), 6u);
}

TEST(HistogramRows, Log2TextMatchesBpftrace) {
  auto hist = Type::hist(0);
  // -1, 2, 3, 5 and 20.
  auto b = buckets(*hist, {{0, 1}, {3, 2}, {4, 1}, {6, 1}});
  EXPECT_EQ(histogram_text(histogram_rows(*hist, b.data())),
            "(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
            "[0]                    0 |                                                    |\n"
            "[1]                    0 |                                                    |\n"
            "[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
            "[8, 16)                0 |                                                    |\n"
            "[16, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n");
}

TEST(HistogramRows, SuffixedLabelsAndDivision) {
  auto hist = Type::hist(0);
  auto b = buckets(*hist, {{hist_bucket_index(600, 0), 30}, {hist_bucket_index(1500000, 0), 9}});
  auto rows = histogram_rows(*hist, b.data(), 3);
  ASSERT_EQ(rows.size(), 12u);
  EXPECT_EQ(rows.front().label, "[512, 1K)");
  EXPECT_EQ(rows.front().count, 10u);
  EXPECT_EQ(rows[1].label, "[1K, 2K)");
  EXPECT_EQ(rows.back().label, "[1M, 2M)");
  EXPECT_EQ(rows.back().count, 3u);
  EXPECT_EQ(rows.back().min, 1048576);
  EXPECT_EQ(rows.back().max, 2097151);

  auto top = buckets(*hist, {{hist_bucket_index(INT64_MAX, 0), 1}});
  EXPECT_EQ(histogram_rows(*hist, top.data()).front().label, "[4E, 8E)");
}

TEST(HistogramRows, SplitBucketLabels) {
  auto hist = Type::hist(2);
  auto b = buckets(*hist, {{hist_bucket_index(7, 2), 1},
                           {hist_bucket_index(9, 2), 1},
                           {hist_bucket_index(1300, 2), 4}});
  auto rows = histogram_rows(*hist, b.data());
  EXPECT_EQ(rows.front().label, "[7]");
  EXPECT_EQ(rows[1].label, "[8, 10)");
  EXPECT_EQ(rows.back().label, "[1280, 1536)");
  auto k = buckets(*hist, {{hist_bucket_index(5000, 2), 1}});
  EXPECT_EQ(histogram_rows(*hist, k.data()).front().label, "[4K, 5K)");
}

TEST(HistogramRows, LinearTextMatchesBpftrace) {
  auto lhist = Type::lhist(0, 100, 10);
  // -5, 1, 55 and 100.
  auto b = buckets(*lhist, {{0, 1}, {1, 1}, {6, 1}, {11, 1}});
  EXPECT_EQ(histogram_text(histogram_rows(*lhist, b.data(), 7)),
            "(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[0, 10)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[10, 20)               0 |                                                    |\n"
            "[20, 30)               0 |                                                    |\n"
            "[30, 40)               0 |                                                    |\n"
            "[40, 50)               0 |                                                    |\n"
            "[50, 60)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[60, 70)               0 |                                                    |\n"
            "[70, 80)               0 |                                                    |\n"
            "[80, 90)               0 |                                                    |\n"
            "[90, 100)              0 |                                                    |\n"
            "[100, ...)             1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

TEST(HistogramRows, LinearLabels) {
  auto unit = Type::lhist(0, 10, 1);
  auto b = buckets(*unit, {{8, 1}, {9, 3}});
  auto rows = histogram_rows(*unit, b.data());
  EXPECT_EQ(rows[0].label, "[7]");
  EXPECT_EQ(rows[1].label, "[8]");
  EXPECT_EQ(histogram_text(rows).substr(0, 60),
            "[7]                    1 |@@@@@@@@@@@@@@@@@                 ");

  auto kilo = Type::lhist(0, 4096, 1024);
  auto k = buckets(*kilo, {{2, 1}, {5, 1}});
  auto krows = histogram_rows(*kilo, k.data());
  EXPECT_EQ(krows.front().label, "[1K, 2K)");
  EXPECT_EQ(krows.back().label, "[4K, ...)");

  auto ragged = Type::lhist(0, 10, 3);
  auto r = buckets(*ragged, {{4, 1}, {5, 1}});
  auto rrows = histogram_rows(*ragged, r.data());
  EXPECT_EQ(rrows[0].label, "[9]");
  EXPECT_EQ(rrows[1].label, "[10, ...)");

  auto negative = Type::lhist(-10, 10, 5);
  auto n = buckets(*negative, {{0, 1}, {1, 1}});
  auto nrows = histogram_rows(*negative, n.data());
  EXPECT_EQ(nrows[0].label, "(..., -10)");
  EXPECT_EQ(nrows[1].label, "[-10, -5)");
}

TEST(HistogramRows, Json) {
  auto hist = Type::hist(0);
  auto b = buckets(*hist, {{0, 2}, {1, 1}, {4, 1}});
  EXPECT_EQ(histogram_json(histogram_rows(*hist, b.data())),
            "[{\"max\": -1, \"count\": 2}, {\"min\": 0, \"max\": 0, \"count\": 1}, "
            "{\"min\": 1, \"max\": 1, \"count\": 0}, {\"min\": 2, \"max\": 3, \"count\": 0}, "
            "{\"min\": 4, \"max\": 7, \"count\": 1}]");

  auto lhist = Type::lhist(0, 100, 10);
  auto l = buckets(*lhist, {{0, 1}, {11, 1}});
  auto rows = histogram_rows(*lhist, l.data());
  EXPECT_EQ(histogram_json({rows.front(), rows.back()}),
            "[{\"max\": -1, \"count\": 1}, {\"min\": 100, \"count\": 1}]");
}

TEST(HistogramRows, EmptyHistogramHasNoRows) {
  auto hist = Type::hist(0);
  auto b = buckets(*hist, {});
  EXPECT_TRUE(histogram_rows(*hist, b.data()).empty());
  EXPECT_EQ(histogram_text({}), "");
  EXPECT_EQ(histogram_json({}), "[]");
}

} // namespace
} // namespace sonde::output
