#include "output_test_support.h"
#include "runtime/output/percpu.h"

#include <gtest/gtest.h>

namespace sonde::output {
namespace {

using testing::Bytes;
using types::Kind;
using types::Type;

int64_t word(const std::vector<uint8_t> &v, size_t i) {
  int64_t x;
  std::memcpy(&x, v.data() + 8 * i, 8);
  return x;
}

TEST(PerCpu, CountAndSumAdd) {
  Bytes cpus = Bytes().put<uint64_t>(0, 3).put<uint64_t>(8, 4).put<uint64_t>(16, 5);
  EXPECT_EQ(word(reduce_percpu(*Type::simple(Kind::Count), cpus.data(), 3), 0), 12);
  Bytes sums = Bytes().put<int64_t>(0, -10).put<int64_t>(8, 4);
  EXPECT_EQ(word(reduce_percpu(*Type::simple(Kind::Sum), sums.data(), 2), 0), -6);
}

TEST(PerCpu, MinMaxIgnoreUnsetCpus) {
  // cpu0 unset (value 0), cpu1 = 5, cpu2 = -2.
  Bytes cpus =
      Bytes(48).put<int64_t>(16, 5).put<uint64_t>(24, 1).put<int64_t>(32, -2).put<uint64_t>(40, 1);
  auto min = reduce_percpu(*Type::simple(Kind::Min), cpus.data(), 3);
  EXPECT_EQ(word(min, 0), -2);
  EXPECT_EQ(word(min, 1), 1);
  auto max = reduce_percpu(*Type::simple(Kind::Max), cpus.data(), 3);
  EXPECT_EQ(word(max, 0), 5);

  Bytes positive = Bytes(32).put<int64_t>(16, 7).put<uint64_t>(24, 1);
  EXPECT_EQ(word(reduce_percpu(*Type::simple(Kind::Min), positive.data(), 2), 0), 7);

  auto none = reduce_percpu(*Type::simple(Kind::Max), Bytes(32).data(), 2);
  EXPECT_EQ(word(none, 0), 0);
  EXPECT_EQ(word(none, 1), 0);
}

TEST(PerCpu, AvgAndStatsAddTotalAndCount) {
  Bytes cpus =
      Bytes().put<int64_t>(0, 10).put<uint64_t>(8, 2).put<int64_t>(16, -4).put<uint64_t>(24, 1);
  for (Kind kind : {Kind::Avg, Kind::Stats}) {
    auto v = reduce_percpu(*Type::simple(kind), cpus.data(), 2);
    EXPECT_EQ(word(v, 0), 6);
    EXPECT_EQ(word(v, 1), 3);
  }
}

TEST(PerCpu, HistogramsAddBuckets) {
  auto lhist = Type::lhist(0, 10, 5); // 4 buckets
  ASSERT_EQ(lhist->size, 32u);
  Bytes cpus =
      Bytes(64).put<uint64_t>(0, 1).put<uint64_t>(24, 2).put<uint64_t>(32, 3).put<uint64_t>(56, 4);
  auto v = reduce_percpu(*lhist, cpus.data(), 2);
  ASSERT_EQ(v.size(), 32u);
  EXPECT_EQ(word(v, 0), 4);
  EXPECT_EQ(word(v, 1), 0);
  EXPECT_EQ(word(v, 3), 6);
}

TEST(PerCpu, StrideRoundsUpToEightBytes) {
  EXPECT_EQ(percpu_stride(*Type::integer(4, true)), 8u);
  EXPECT_EQ(percpu_stride(*Type::string(13)), 16u);
  EXPECT_EQ(percpu_stride(*Type::simple(Kind::Stats)), 16u);
  // Not an aggregation: the first CPU's value.
  Bytes cpus = Bytes().put<int32_t>(0, 7).put<int32_t>(8, 9);
  auto v = reduce_percpu(*Type::integer(4, true), cpus.data(), 2);
  ASSERT_EQ(v.size(), 4u);
  int32_t x;
  std::memcpy(&x, v.data(), 4);
  EXPECT_EQ(x, 7);
}

} // namespace
} // namespace sonde::output
