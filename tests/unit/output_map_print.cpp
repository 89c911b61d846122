#include "output_test_support.h"
#include "runtime/output/map_print.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <sstream>

namespace sonde::output {
namespace {

using testing::buckets;
using testing::Bytes;
using testing::Entry;
using testing::FakeSymbols;
using testing::i64;
using testing::map_info;
using testing::str;
using testing::u64;
using types::Kind;
using types::Type;

class MapPrint : public ::testing::Test {
protected:
  std::string text(const MapInfo &map, const std::vector<Entry> &entries, uint64_t top = 0,
                   uint64_t div = 0) {
    std::ostringstream out;
    print_map(out, map, testing::entries(entries), top, div, formatter);
    return out.str();
  }
  std::string json(const MapInfo &map, const std::vector<Entry> &entries, uint64_t top = 0,
                   uint64_t div = 0) {
    std::ostringstream out;
    print_map_json(out, map, testing::entries(entries), top, div, formatter);
    return out.str();
  }

  FakeSymbols symbols;
  ValueFormatter formatter{symbols};
};

TEST(MapEntries, KeysAndValuesEachInOneBuffer) {
  MapEntries entries(8, 16);
  uint64_t keys[] = {1, 2, 3};
  uint8_t *values = entries.add_keys(reinterpret_cast<const uint8_t *>(keys), 3);
  EXPECT_EQ(values, entries.value(0));
  values[16] = 7; // the second entry's value
  entries.add(u64(4).data(), Bytes(16).put<uint64_t>(8, 9).data());
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(Bytes().put<uint64_t>(0, 2).vec(),
            std::vector<uint8_t>(entries.key(1), entries.key(1) + 8));
  EXPECT_EQ(entries.value(1)[0], 7);
  EXPECT_EQ(entries.value(2)[0], 0);
  EXPECT_EQ(entries.key(3)[0], 4);
  EXPECT_EQ(entries.value(3)[8], 9);
}

TEST_F(MapPrint, Scalar) {
  auto map = map_info("@x", Type::none(), Type::integer(8, true));
  std::vector<Entry> entries = {{u64(0), i64(5)}};
  EXPECT_EQ(text(map, entries), "@x: 5\n");
  EXPECT_EQ(json(map, entries), "{\"type\": \"map\", \"data\": {\"@x\": 5}}\n");
  auto s = map_info("@s", Type::none(), Type::string(8));
  EXPECT_EQ(json(s, {{u64(0), str("hello", 8)}}),
            "{\"type\": \"map\", \"data\": {\"@s\": \"hello\"}}\n");
}

TEST_F(MapPrint, EmptyMapPrintsNothing) {
  auto map = map_info("@x", Type::none(), Type::simple(Kind::Count));
  EXPECT_EQ(text(map, {}), "");
  EXPECT_EQ(json(map, {}), "");
}

TEST_F(MapPrint, CountsSortAscendingByValue) {
  auto map = map_info("@c", Type::string(8), Type::simple(Kind::Count));
  std::vector<Entry> entries = {
      {str("bash", 8), u64(3)}, {str("a", 8), u64(10)}, {str("zsh", 8), u64(1)}};
  EXPECT_EQ(text(map, entries), "@c[zsh]: 1\n@c[bash]: 3\n@c[a]: 10\n");
  EXPECT_EQ(json(map, entries),
            "{\"type\": \"map\", \"data\": {\"@c\": {\"zsh\": 1, \"bash\": 3, \"a\": 10}}}\n");
}

TEST_F(MapPrint, TiesKeepKeyOrder) {
  auto map = map_info("@t", Type::integer(1, true), Type::integer(8, false));
  Bytes minus_one = Bytes().put<int8_t>(0, -1);
  Bytes three = Bytes().put<int8_t>(0, 3);
  EXPECT_EQ(text(map, {{three.vec(), u64(1)}, {minus_one.vec(), u64(1)}}), "@t[-1]: 1\n@t[3]: 1\n");
}

TEST_F(MapPrint, NonIntegerValuesSortByKey) {
  auto map = map_info("@s", Type::string(8), Type::string(8));
  std::vector<Entry> entries = {{str("x", 8), str("zz", 8)}, {str("a", 8), str("yy", 8)}};
  EXPECT_EQ(text(map, entries), "@s[a]: yy\n@s[x]: zz\n");
  auto flags = map_info("@b", Type::integer(8, false), Type::boolean());
  EXPECT_EQ(text(flags, {{u64(2), {1}}, {u64(1), {0}}}), "@b[1]: false\n@b[2]: true\n");
}

TEST_F(MapPrint, TupleKeysPrintWithoutParentheses) {
  auto key = Type::tuple({Type::string(8), Type::integer(8, true)});
  auto map = map_info("@m", key, Type::integer(8, true));
  Bytes k1 = Bytes(16).put_string(0, "bash").put<int64_t>(8, 2);
  Bytes k2 = Bytes(16).put_string(0, "sh").put<int64_t>(8, 1);
  std::vector<Entry> entries = {{k1.vec(), i64(5)}, {k2.vec(), i64(7)}};
  EXPECT_EQ(text(map, entries), "@m[bash, 2]: 5\n@m[sh, 1]: 7\n");
  EXPECT_EQ(json(map, entries),
            "{\"type\": \"map\", \"data\": {\"@m\": {\"bash,2\": 5, \"sh,1\": 7}}}\n");

  // A tuple inside a key keeps its parentheses.
  auto nested = Type::tuple(
      {Type::tuple({Type::integer(8, true), Type::integer(8, true)}), Type::integer(8, true)});
  auto nmap = map_info("@n", nested, Type::integer(8, true));
  Bytes nk = Bytes(24).put<int64_t>(0, 1).put<int64_t>(8, 2).put<int64_t>(16, 3);
  EXPECT_EQ(text(nmap, {{nk.vec(), i64(1)}}), "@n[(1, 2), 3]: 1\n");
}

TEST_F(MapPrint, StackKeys) {
  auto map = map_info("@", Type::simple(Kind::KStack), Type::simple(Kind::Count));
  EXPECT_EQ(text(map, {{u64(9), u64(4)}}),
            "@[\n        do_thing+16\n        0xffffffff81000200\n        entry_9+0\n]: 4\n");
}

TEST_F(MapPrint, TopAndDiv) {
  auto map = map_info("@m", Type::integer(8, true), Type::integer(8, true));
  std::vector<Entry> entries = {
      {i64(1), i64(10)}, {i64(2), i64(20)}, {i64(3), i64(30)}, {i64(4), i64(40)}};
  EXPECT_EQ(text(map, entries, 2, 10), "@m[3]: 3\n@m[4]: 4\n");
  EXPECT_EQ(text(map, entries, 2), "@m[3]: 30\n@m[4]: 40\n");
  EXPECT_EQ(text(map, entries, 10), "@m[1]: 10\n@m[2]: 20\n@m[3]: 30\n@m[4]: 40\n");
  EXPECT_EQ(json(map, entries, 1, 10), "{\"type\": \"map\", \"data\": {\"@m\": {\"4\": 4}}}\n");
}

TEST_F(MapPrint, TopIsTheTailOfTheWholeOrder) {
  auto map = map_info("@m", Type::integer(8, true), Type::simple(Kind::Count));
  std::vector<Entry> entries;
  for (int64_t key = 0; key < 1000; key++) // many ties, broken by key
    entries.push_back({i64(key), u64(static_cast<uint64_t>(key * 7 % 1000 / 2))});
  std::string all = text(map, entries);
  for (uint64_t top : {1, 2, 3, 10, 999}) {
    std::string some = text(map, entries, top);
    EXPECT_EQ(all.substr(all.size() - some.size()), some) << top;
    EXPECT_EQ(static_cast<uint64_t>(std::count(some.begin(), some.end(), '\n')), top);
  }
  EXPECT_EQ(text(map, entries, 2), "@m[714]: 499\n@m[857]: 499\n");
}

TEST_F(MapPrint, MinMaxSum) {
  auto mn = map_info("@mn", Type::string(4), Type::simple(Kind::Min));
  Bytes a = Bytes().put<int64_t>(0, 3).put<uint64_t>(8, 1);
  Bytes b = Bytes().put<int64_t>(0, -10).put<uint64_t>(8, 1);
  EXPECT_EQ(text(mn, {{str("a", 4), a.vec()}, {str("b", 4), b.vec()}}), "@mn[b]: -10\n@mn[a]: 3\n");
  auto sum = map_info("@sm", Type::none(), Type::simple(Kind::Sum));
  EXPECT_EQ(text(sum, {{u64(0), i64(-4)}}), "@sm: -4\n");
}

TEST_F(MapPrint, AvgAndStats) {
  auto avg = map_info("@av", Type::string(4), Type::simple(Kind::Avg));
  Bytes a = Bytes().put<int64_t>(0, 6).put<uint64_t>(8, 2);
  Bytes b = Bytes().put<int64_t>(0, 5).put<uint64_t>(8, 1);
  Bytes c = Bytes().put<int64_t>(0, -7).put<uint64_t>(8, 2);
  std::vector<Entry> entries = {
      {str("a", 4), a.vec()}, {str("b", 4), b.vec()}, {str("c", 4), c.vec()}};
  EXPECT_EQ(text(avg, entries), "@av[c]: -3\n@av[a]: 3\n@av[b]: 5\n");
  EXPECT_EQ(json(avg, entries),
            "{\"type\": \"stats\", \"data\": {\"@av\": {\"c\": -3, \"a\": 3, \"b\": 5}}}\n");

  auto scalar = map_info("@a", Type::none(), Type::simple(Kind::Avg));
  EXPECT_EQ(json(scalar, {{u64(0), Bytes().put<int64_t>(0, 9).put<uint64_t>(8, 3).vec()}}),
            "{\"type\": \"stats\", \"data\": {\"@a\": 3}}\n");

  // Ordered by average: a (3) before b (5) though b's total is smaller.
  auto stats = map_info("@st", Type::string(4), Type::simple(Kind::Stats));
  std::vector<Entry> st = {{str("b", 4), b.vec()}, {str("a", 4), a.vec()}};
  EXPECT_EQ(text(stats, st), "@st[a]: { .count = 2, .average = 3, .total = 6 }\n"
                             "@st[b]: { .count = 1, .average = 5, .total = 5 }\n");
  EXPECT_EQ(json(stats, st), "{\"type\": \"stats\", \"data\": {\"@st\": {"
                             "\"a\": {\"count\": 2, \"average\": 3, \"total\": 6}, "
                             "\"b\": {\"count\": 1, \"average\": 5, \"total\": 5}}}}\n");
  auto one = map_info("@st", Type::none(), Type::simple(Kind::Stats));
  EXPECT_EQ(text(one, {{u64(0), Bytes().put<int64_t>(0, 10).put<uint64_t>(8, 1).vec()}}),
            "@st: { .count = 1, .average = 10, .total = 10 }\n");
}

TEST_F(MapPrint, ScalarHistogram) {
  auto hist = Type::hist(0);
  auto map = map_info("@h", Type::none(), hist);
  std::vector<Entry> entries = {{u64(0), buckets(*hist, {{4, 1}})}};
  EXPECT_EQ(text(map, entries),
            "@h:\n"
            "[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
  EXPECT_EQ(json(map, entries), "{\"type\": \"hist\", \"data\": {\"@h\": [{\"min\": 4, "
                                "\"max\": 7, \"count\": 1}]}}\n");
}

TEST_F(MapPrint, KeyedHistogramsSortByTotal) {
  auto hist = Type::hist(0);
  auto map = map_info("@kh", Type::string(4), hist);
  std::vector<Entry> entries = {{str("b", 4), buckets(*hist, {{2, 1}, {3, 1}})},
                                {str("a", 4), buckets(*hist, {{3, 1}})}};
  EXPECT_EQ(text(map, entries),
            "@kh[a]:\n"
            "[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n"
            "@kh[b]:\n"
            "[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
  EXPECT_EQ(json(map, entries),
            "{\"type\": \"hist\", \"data\": {\"@kh\": {"
            "\"a\": [{\"min\": 2, \"max\": 3, \"count\": 1}], "
            "\"b\": [{\"min\": 1, \"max\": 1, \"count\": 1}, {\"min\": 2, \"max\": 3, \"count\": "
            "1}]}}}\n");
}

TEST_F(MapPrint, ZeroedHistogramPrintsHeaderOnly) {
  auto hist = Type::hist(0);
  auto map = map_info("@h", Type::none(), hist);
  EXPECT_EQ(text(map, {{u64(0), buckets(*hist, {})}}), "@h:\n\n");
}

TEST_F(MapPrint, JsonEscapesKeys) {
  auto map = map_info("@str", Type::string(8), Type::integer(8, true));
  EXPECT_EQ(json(map, {{str("x\ny\"z", 8), i64(1)}}),
            "{\"type\": \"map\", \"data\": {\"@str\": {\"x\\ny\\\"z\": 1}}}\n");
}

} // namespace
} // namespace sonde::output
