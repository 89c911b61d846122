#include "metrics/exposition.h"
#include "metrics/histogram_buckets.h"
#include "metrics/listen_address.h"
#include "metrics/map_families.h"
#include "output_test_support.h"
#include "types/histogram.h"

#include <gtest/gtest.h>

namespace sonde::metrics {
namespace {

using output::testing::buckets;
using output::testing::Bytes;
using output::testing::Entry;
using output::testing::FakeSymbols;
using output::testing::i64;
using output::testing::map_info;
using output::testing::str;
using output::testing::u64;
using types::Kind;
using types::Type;

std::string text(const std::vector<MetricFamily> &families,
                 ExpositionFormat format = ExpositionFormat::Prometheus) {
  std::string out;
  ExpositionWriter writer(out, format);
  write_families(writer, families);
  writer.finish();
  return out;
}

TEST(MetricsEscaping, LabelValues) {
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value("a\\b"), "a\\\\b");
  EXPECT_EQ(escape_label_value("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(escape_label_value("two\nlines"), "two\\nlines");
  EXPECT_EQ(escape_label_value("tab\tstays"), "tab\tstays");
}

TEST(MetricsEscaping, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(escape_label_value("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(escape_label_value("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(escape_label_value("a\xFFz"), "a\xEF\xBF\xBDz");
  EXPECT_EQ(escape_label_value("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD"); // overlong
  EXPECT_EQ(escape_label_value("\xED\xA0\x80"),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // a surrogate
  EXPECT_EQ(escape_label_value("cut\xE2\x82"), "cut\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(MetricsEscaping, Help) {
  EXPECT_EQ(escape_help("a \"b\" \\ c\nd", ExpositionFormat::Prometheus), "a \"b\" \\\\ c\\nd");
  EXPECT_EQ(escape_help("a \"b\"", ExpositionFormat::OpenMetrics), "a \\\"b\\\"");
}

TEST(MetricsExposition, CounterNamesPerFormat) {
  std::vector<MetricFamily> families{
      {"sonde_calls", MetricType::Counter, "calls", {{"_total", {{"key", "x\"y"}}, "5"}}}};
  EXPECT_EQ(text(families), "# HELP sonde_calls_total calls\n"
                            "# TYPE sonde_calls_total counter\n"
                            "sonde_calls_total{key=\"x\\\"y\"} 5\n");
  EXPECT_EQ(text(families, ExpositionFormat::OpenMetrics), "# HELP sonde_calls calls\n"
                                                           "# TYPE sonde_calls counter\n"
                                                           "sonde_calls_total{key=\"x\\\"y\"} 5\n"
                                                           "# EOF\n");
}

TEST(MetricsExposition, HistogramCountNeedsSumInOpenMetrics) {
  std::vector<MetricFamily> families{
      {"h", MetricType::Histogram, "h", {{"_bucket", {{"le", "+Inf"}}, "2"}, {"_count", {}, "2"}}}};
  EXPECT_NE(text(families).find("h_count 2\n"), std::string::npos);
  EXPECT_EQ(text(families, ExpositionFormat::OpenMetrics).find("h_count"), std::string::npos);
  families[0].samples.push_back({"_sum", {}, "7"});
  EXPECT_NE(text(families, ExpositionFormat::OpenMetrics).find("h_count 2\n"), std::string::npos);
}

TEST(MetricsExposition, Negotiation) {
  EXPECT_EQ(negotiate_format(""), ExpositionFormat::Prometheus);
  EXPECT_EQ(negotiate_format("*/*"), ExpositionFormat::Prometheus);
  EXPECT_EQ(negotiate_format("text/plain;version=0.0.4"), ExpositionFormat::Prometheus);
  EXPECT_EQ(negotiate_format("application/openmetrics-text;version=1.0.0,application/"
                             "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;"
                             "q=0.5,*/*;q=0.1"),
            ExpositionFormat::OpenMetrics);
  EXPECT_EQ(negotiate_format("application/openmetrics-text;q=0.2, text/plain"),
            ExpositionFormat::Prometheus);
  EXPECT_EQ(negotiate_format("application/openmetrics-text;q=0"), ExpositionFormat::Prometheus);
  EXPECT_EQ(content_type(ExpositionFormat::OpenMetrics),
            "application/openmetrics-text; version=1.0.0; charset=utf-8");
  EXPECT_EQ(content_type(ExpositionFormat::Prometheus), "text/plain; version=0.0.4; charset=utf-8");
}

TEST(MetricsHistogram, Log2BucketsAreCumulativeWithInclusiveBounds) {
  auto hist = Type::hist(0);
  // Values -3, 0, 1, 1, 5, 6, 1000.
  auto value = buckets(*hist, {{0, 1}, {1, 1}, {2, 2}, {4, 2}, {11, 1}});
  auto rows = cumulative_buckets(*hist, value.data());
  std::vector<std::pair<std::string, uint64_t>> got;
  for (const auto &row : rows)
    got.emplace_back(row.le, row.count);
  std::vector<std::pair<std::string, uint64_t>> want{
      {"-1", 1}, {"0", 2},   {"1", 4},   {"3", 4},   {"7", 6},    {"15", 6},  {"31", 6},
      {"63", 6}, {"127", 6}, {"255", 6}, {"511", 6}, {"1023", 7}, {"+Inf", 7}};
  EXPECT_EQ(got, want);
}

TEST(MetricsHistogram, SplitLog2Buckets) {
  auto hist = Type::hist(2);
  uint64_t index = types::hist_bucket_index(20, 2); // [20, 24)
  auto value = buckets(*hist, {{index, 3}});
  auto rows = cumulative_buckets(*hist, value.data());
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[rows.size() - 2].le, "23");
  EXPECT_EQ(rows[rows.size() - 2].count, 3u);
  EXPECT_EQ(rows[rows.size() - 3].le, "19");
  EXPECT_EQ(rows[rows.size() - 3].count, 0u);
}

TEST(MetricsHistogram, TopLog2BucketEndsAtInt64Max) {
  auto hist = Type::hist(0);
  auto value = buckets(*hist, {{types::hist_bucket_index(INT64_MAX, 0), 1}});
  auto rows = cumulative_buckets(*hist, value.data());
  EXPECT_EQ(rows[rows.size() - 2].le, "9223372036854775807");
  EXPECT_EQ(rows.back().count, 1u);
}

TEST(MetricsHistogram, LinearBucketsAndValuesAboveMax) {
  auto lhist = Type::lhist(0, 25, 10); // [0,10) [10,20) [20,25) and >= 25
  // Values -1, 12, 12, 24, 30.
  auto value = buckets(*lhist, {{0, 1}, {2, 2}, {3, 1}, {4, 1}});
  auto rows = cumulative_buckets(*lhist, value.data());
  std::vector<std::pair<std::string, uint64_t>> got;
  for (const auto &row : rows)
    got.emplace_back(row.le, row.count);
  std::vector<std::pair<std::string, uint64_t>> want{
      {"-1", 1}, {"9", 1}, {"19", 3}, {"24", 4}, {"+Inf", 5}};
  EXPECT_EQ(got, want);
}

TEST(MetricsHistogram, EmptyHasOnlyInf) {
  auto hist = Type::hist(0);
  auto value = buckets(*hist, {});
  auto rows = cumulative_buckets(*hist, value.data());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].le, "+Inf");
  EXPECT_EQ(rows[0].count, 0u);
}

class MapFamilies : public ::testing::Test {
protected:
  std::string exposition(const MapInfo &map, const std::vector<Entry> &entries,
                         const std::string &prefix = "sonde") {
    std::string out;
    ExpositionWriter writer(out, ExpositionFormat::Prometheus);
    write_map_families(writer, map, output::testing::entries(entries), formatter, prefix);
    return out;
  }

  FakeSymbols symbols;
  output::ValueFormatter formatter{symbols};
};

TEST_F(MapFamilies, Names) {
  EXPECT_EQ(map_family_name("sonde", "@calls"), "sonde_calls");
  EXPECT_EQ(map_family_name("sonde", "@"), "sonde_map");
  EXPECT_EQ(map_family_name("", "@x"), "x");
  EXPECT_EQ(map_family_name("host:sonde", "@x"), "host:sonde_x");
}

TEST_F(MapFamilies, ScalarCount) {
  auto map = map_info("@calls", Type::none(), Type::simple(Kind::Count));
  EXPECT_EQ(exposition(map, {{u64(0), u64(42)}}),
            "# HELP sonde_calls_total sonde map @calls: count()\n"
            "# TYPE sonde_calls_total counter\n"
            "sonde_calls_total 42\n");
}

TEST_F(MapFamilies, CounterNamedTotal) {
  auto map = map_info("@bytes_total", Type::none(), Type::simple(Kind::Sum));
  EXPECT_NE(exposition(map, {{u64(0), i64(7)}}).find("\nsonde_bytes_total 7\n"), std::string::npos);
}

TEST_F(MapFamilies, TupleKeysAreNumberedLabels) {
  auto key = Type::tuple({Type::string(8), Type::integer(8, false)});
  auto map = map_info("@by", key, Type::integer(8, true));
  auto bytes = Bytes(16).put_string(0, "a\"b\n").put(8, uint64_t{7}).vec();
  EXPECT_NE(
      exposition(map, {{bytes, i64(-3)}}).find("sonde_by{key0=\"a\\\"b\\n\",key1=\"7\"} -3\n"),
      std::string::npos);
}

TEST_F(MapFamilies, RecordKeysAreNamedLabels) {
  auto key = Type::record({"comm", "le"}, {Type::string(8), Type::integer(8, false)});
  auto map = map_info("@r", key, Type::simple(Kind::Count));
  auto bytes = Bytes(16).put_string(0, "sh").put(8, uint64_t{2}).vec();
  EXPECT_NE(exposition(map, {{bytes, u64(1)}}).find("sonde_r_total{comm=\"sh\",key_le=\"2\"} 1\n"),
            std::string::npos);
}

TEST_F(MapFamilies, SymbolsResolvedAndStacksFolded) {
  auto map = map_info("@k", Type::tuple({Type::simple(Kind::Ksym), Type::simple(Kind::KStack)}),
                      Type::simple(Kind::Count));
  auto bytes = Bytes(16).put(0, uint64_t{99}).put(8, uint64_t{5}).vec();
  EXPECT_NE(
      exposition(map, {{bytes, u64(1)}})
          .find("sonde_k_total{key0=\"ksym_99\",key1=\"entry_5;0xffffffff81000200;do_thing\"} "
                "1\n"),
      std::string::npos);
}

TEST_F(MapFamilies, StatsAreASummaryAndAnAverage) {
  auto map = map_info("@s", Type::none(), Type::simple(Kind::Stats));
  auto value = Bytes(16).put(0, int64_t{10}).put(8, uint64_t{4}).vec();
  EXPECT_EQ(exposition(map, {{u64(0), value}}),
            "# HELP sonde_s sonde map @s: stats()\n"
            "# TYPE sonde_s summary\n"
            "sonde_s_sum 10\n"
            "sonde_s_count 4\n"
            "# HELP sonde_s_average sonde map @s: stats() average\n"
            "# TYPE sonde_s_average gauge\n"
            "sonde_s_average 2.5\n");
}

TEST_F(MapFamilies, HistogramPerKey) {
  auto hist = Type::hist(0);
  auto map = map_info("@h", Type::string(4), hist);
  auto value = buckets(*hist, {{2, 1}, {3, 2}});
  EXPECT_EQ(exposition(map, {{str("ab", 4), value}}), "# HELP sonde_h sonde map @h: hist()\n"
                                                      "# TYPE sonde_h histogram\n"
                                                      "sonde_h_bucket{key=\"ab\",le=\"-1\"} 0\n"
                                                      "sonde_h_bucket{key=\"ab\",le=\"0\"} 0\n"
                                                      "sonde_h_bucket{key=\"ab\",le=\"1\"} 1\n"
                                                      "sonde_h_bucket{key=\"ab\",le=\"3\"} 3\n"
                                                      "sonde_h_bucket{key=\"ab\",le=\"+Inf\"} 3\n"
                                                      "sonde_h_count{key=\"ab\"} 3\n");
}

TEST_F(MapFamilies, OtherValuesInAValueLabel) {
  auto map = map_info("@last", Type::integer(8, false), Type::string(8));
  EXPECT_NE(
      exposition(map, {{u64(1), str("bash", 8)}}).find("sonde_last{key=\"1\",value=\"bash\"} 1\n"),
      std::string::npos);
}

TEST_F(MapFamilies, KeysThatPrintAlikeAreOneSeries) {
  // "ab" with different bytes after the NUL.
  auto map = map_info("@c", Type::string(4), Type::simple(Kind::Count));
  auto first = Bytes(4).put_string(0, "ab").vec();
  auto second = Bytes(4).put_string(0, std::string("ab\0x", 4)).vec();
  EXPECT_EQ(exposition(map, {{first, u64(2)}, {str("cd", 4), u64(1)}, {second, u64(5)}}),
            "# HELP sonde_c_total sonde map @c: count()\n"
            "# TYPE sonde_c_total counter\n"
            "sonde_c_total{key=\"ab\"} 7\n"
            "sonde_c_total{key=\"cd\"} 1\n");
}

TEST(MetricsListenAddress, Forms) {
  auto port = parse_listen_address("9100");
  ASSERT_TRUE(port);
  EXPECT_EQ(port->text(), "127.0.0.1:9100");
  auto any = parse_listen_address("0.0.0.0:9100");
  ASSERT_TRUE(any);
  EXPECT_EQ(any->host, "0.0.0.0");
  auto ipv6 = parse_listen_address("[::1]:9100");
  ASSERT_TRUE(ipv6);
  EXPECT_EQ(ipv6->text(), "[::1]:9100");
  EXPECT_FALSE(parse_listen_address("host:"));
  EXPECT_FALSE(parse_listen_address(":9100"));
  EXPECT_FALSE(parse_listen_address("70000"));
  EXPECT_FALSE(parse_listen_address("[::1]9100"));
}

} // namespace
} // namespace sonde::metrics
