#include "output_test_support.h"
#include "runtime/output/map_print.h"
#include "runtime/output/percpu.h"

#include <cstdlib>
#include <ctime>
#include <gtest/gtest.h>
#include <map>
#include <sstream>

namespace sonde::output {
namespace {

using testing::Bytes;
using testing::Entry;
using testing::FakeSymbols;
using testing::map_info;
using testing::str;
using testing::u64;
using types::TSeriesAgg;
using types::Type;

constexpr uint64_t kMs = 1'000'000;

struct Recorded {
  int64_t value = 0;
  uint64_t aux = 1;
};

// A reduced value: `recorded` by interval number, each in its ring slot.
std::vector<uint8_t> series(const Type &type, const std::map<uint64_t, Recorded> &recorded) {
  Bytes b(type.size);
  for (auto [epoch, r] : recorded) {
    size_t at = (epoch % type.tseries_intervals) * Type::kTSeriesSlotSize;
    b.put(at, epoch).put(at + 8, r.value).put(at + 16, r.aux);
  }
  return b.vec();
}

std::map<uint64_t, Recorded> values_from(uint64_t first_epoch, std::vector<int64_t> values) {
  std::map<uint64_t, Recorded> recorded;
  for (size_t i = 0; i < values.size(); i++)
    recorded[first_epoch + i] = {values[i], 1};
  return recorded;
}

class TSeriesPrint : public ::testing::Test {
protected:
  void SetUp() override {
    // Interval starts print in local time: make it UTC.
    const char *tz = std::getenv("TZ");
    saved_tz_ = tz ? std::optional<std::string>(tz) : std::nullopt;
    setenv("TZ", "UTC", 1);
    tzset();
  }
  void TearDown() override {
    if (saved_tz_)
      setenv("TZ", saved_tz_->c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }

  std::string text(const MapInfo &map, const std::vector<Entry> &entries,
                   const TSeriesBounds &bounds = {}) {
    std::ostringstream out;
    print_map(out, map, testing::entries(entries), 0, 0, formatter, bounds);
    return out.str();
  }
  std::string json(const MapInfo &map, const std::vector<Entry> &entries) {
    std::ostringstream out;
    print_map_json(out, map, testing::entries(entries), 0, 0, formatter);
    return out.str();
  }

  FakeSymbols symbols;
  ValueFormatter formatter{symbols};
  std::optional<std::string> saved_tz_;
};

TEST_F(TSeriesPrint, RampAcrossZero) {
  auto type = Type::tseries(250 * kMs, 8, TSeriesAgg::Last);
  auto map = map_info("@", Type::none(), type);
  std::vector<Entry> entries = {{u64(0), series(*type, values_from(4, {-3, -1, 0, 2, 6}))}};
  EXPECT_EQ(text(map, entries), R"(@:
             -3                                                  6
hh:mm:ss.ms  |___________________________________________________|
00:00:01.000 *                .                                  | -3
00:00:01.250 |          *     .                                  | -1
00:00:01.500 |                *                                  | 0
00:00:01.750 |                .          *                       | 2
00:00:02.000 |                .                                  * 6
             v___________________________________________________v
             -3                                                  6

)");
}

TEST_F(TSeriesPrint, BoundsFromPrintArguments) {
  auto type = Type::tseries(kMs, 4, TSeriesAgg::Last);
  auto map = map_info("@t", Type::none(), type);
  std::vector<Entry> entries = {{u64(0), series(*type, values_from(7, {-20, 5, 40}))}};
  EXPECT_EQ(text(map, entries, {-20, 20}), R"(@t:
             -20                                                20
hh:mm:ss.ms  |___________________________________________________|
00:00:00.007 *                         .                         | -20
00:00:00.008 |                         .     *                   | 5
00:00:00.009 |                         .                         * 40
             v___________________________________________________v
             -20                                                20

)");
}

TEST_F(TSeriesPrint, FlatLineGetsRoomAndMissingIntervalsShowADash) {
  auto type = Type::tseries(2'000'000'000, 5, TSeriesAgg::Last);
  auto map = map_info("@", Type::none(), type);
  std::vector<Entry> entries = {{u64(0), series(*type, {{30, {7, 1}}, {32, {7, 1}}})}};
  EXPECT_EQ(text(map, entries), R"(@:
         6                                                   8
hh:mm:ss |___________________________________________________|
00:01:00 |                         *                         | 7
00:01:02 |                                                   | -
00:01:04 |                         *                         | 7
         v___________________________________________________v
         6                                                   8

)");
}

TEST_F(TSeriesPrint, KeysShareTheMapsNewestIntervalAndPrintInKeyOrder) {
  auto type = Type::tseries(10 * kMs, 6, TSeriesAgg::Last);
  auto map = map_info("@m", Type::string(4), type);
  std::vector<Entry> entries = {
      {str("b", 4), series(*type, values_from(103, {9, 9}))},
      {str("a", 4), series(*type, values_from(100, {1, 2}))},
  };
  EXPECT_EQ(text(map, entries), R"(@m[a]:
             1                                                   2
hh:mm:ss.ms  |___________________________________________________|
00:00:01.000 *                                                   | 1
00:00:01.010 |                                                   * 2
00:00:01.020 |                                                   | -
00:00:01.030 |                                                   | -
00:00:01.040 |                                                   | -
             v___________________________________________________v
             1                                                   2

@m[b]:
             8                                                  10
hh:mm:ss.ms  |___________________________________________________|
00:00:01.030 |                         *                         | 9
00:00:01.040 |                         *                         | 9
             v___________________________________________________v
             8                                                  10

)");
  EXPECT_EQ(json(map, entries),
            R"({"type": "tseries", "data": {"@m": {"a": [)"
            R"({"interval_start": "1970-01-01T00:00:01.000000000", "value": 1},)"
            R"({"interval_start": "1970-01-01T00:00:01.010000000", "value": 2},)"
            R"({"interval_start": "1970-01-01T00:00:01.020000000", "value": null},)"
            R"({"interval_start": "1970-01-01T00:00:01.030000000", "value": null},)"
            R"({"interval_start": "1970-01-01T00:00:01.040000000", "value": null}], "b": [)"
            R"({"interval_start": "1970-01-01T00:00:01.030000000", "value": 9},)"
            R"({"interval_start": "1970-01-01T00:00:01.040000000", "value": 9}]}}})"
            "\n");
}

TEST_F(TSeriesPrint, OnlyTheLastIntervalsShow) {
  auto type = Type::tseries(kMs, 3, TSeriesAgg::Last);
  auto map = map_info("@", Type::none(), type);
  // Slot 0 still holds interval 3 when interval 6 has not come yet.
  std::vector<Entry> entries = {{u64(0), series(*type, {{3, {1, 1}}, {4, {2, 1}}, {5, {3, 1}}})}};
  std::string out = text(map, entries);
  EXPECT_NE(out.find("00:00:00.003 *"), std::string::npos) << out;
  entries = {{u64(0), series(*type, {{6, {4, 1}}, {4, {2, 1}}, {5, {3, 1}}})}};
  out = text(map, entries);
  EXPECT_EQ(out.find("00:00:00.003"), std::string::npos) << out;
  EXPECT_NE(out.find("00:00:00.006 |"), std::string::npos) << out;
}

TEST_F(TSeriesPrint, AverageDividesByTheCount) {
  auto type = Type::tseries(1'000'000'000, 2, TSeriesAgg::Avg);
  auto map = map_info("@", Type::none(), type);
  std::vector<Entry> entries = {{u64(0), series(*type, {{9, {10, 4}}})}};
  EXPECT_EQ(json(map, entries), R"({"type": "tseries", "data": {"@": [)"
                                R"({"interval_start": "1970-01-01T00:00:09.000000000", )"
                                R"("value": 2}]}})"
                                "\n");
}

TEST_F(TSeriesPrint, ZeroedEntryHasNoData) {
  auto type = Type::tseries(kMs, 2, TSeriesAgg::Last);
  auto map = map_info("@z", Type::none(), type);
  std::vector<Entry> entries = {{u64(0), std::vector<uint8_t>(type->size)}};
  EXPECT_EQ(text(map, entries), "@z:\n<no data>\n");
  EXPECT_EQ(json(map, entries), "{\"type\": \"tseries\", \"data\": {\"@z\": []}}\n");
}

// Per-CPU copies: the newest interval of each slot wins, and values of the
// same interval combine as the aggregation says.
TEST(TSeriesReduce, CombinesCopiesOfTheSameInterval) {
  auto reduce = [](TSeriesAgg agg, std::vector<std::map<uint64_t, Recorded>> cpus) {
    auto type = Type::tseries(kMs, 2, agg);
    std::vector<uint8_t> all;
    for (const auto &cpu : cpus) {
      auto one = series(*type, cpu);
      all.insert(all.end(), one.begin(), one.end());
    }
    auto out = reduce_percpu(*type, all.data(), cpus.size());
    int64_t value = 0;
    uint64_t aux = 0;
    std::memcpy(&value, out.data() + 8, 8);
    std::memcpy(&aux, out.data() + 16, 8);
    return std::pair(value, aux);
  };
  EXPECT_EQ(reduce(TSeriesAgg::Sum, {{{4, {3, 2}}}, {{4, {5, 1}}}, {{2, {100, 1}}}}),
            std::pair(int64_t{8}, uint64_t{3}));
  EXPECT_EQ(reduce(TSeriesAgg::Min, {{{4, {3, 1}}}, {{4, {-5, 1}}}}),
            std::pair(int64_t{-5}, uint64_t{2}));
  EXPECT_EQ(reduce(TSeriesAgg::Max, {{{4, {3, 1}}}, {{4, {-5, 1}}}}),
            std::pair(int64_t{3}, uint64_t{2}));
  // Last: aux is the time of the write.
  EXPECT_EQ(reduce(TSeriesAgg::Last, {{{4, {3, 900}}}, {{4, {7, 800}}}}),
            std::pair(int64_t{3}, uint64_t{900}));
  EXPECT_EQ(reduce(TSeriesAgg::Last, {{{2, {3, 900}}}, {{4, {7, 800}}}}),
            std::pair(int64_t{7}, uint64_t{800}));
}

} // namespace
} // namespace sonde::output
