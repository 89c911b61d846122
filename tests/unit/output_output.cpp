#include "runtime/output/output.h"
#include "output_test_support.h"

#include <gtest/gtest.h>
#include <sstream>

namespace sonde::output {
namespace {

using testing::Bytes;
using testing::FakeSymbols;
using testing::i64;
using testing::map_info;
using testing::u64;
using types::Kind;
using types::Type;

class Outputs : public ::testing::Test {
protected:
  std::unique_ptr<Output> make(OutputFormat format) {
    return make_output(format, out, err, ValueFormatter(symbols));
  }

  FakeSymbols symbols;
  std::ostringstream out;
  std::ostringstream err;
};

TEST_F(Outputs, TextMessages) {
  auto o = make(OutputFormat::Text);
  o->attached_probes(1);
  o->attached_probes(3);
  o->printf("hi 3\n");
  o->time("12:00:01\n");
  o->cat("file contents\n");
  o->join("a b c");
  o->system_output("from sh\n");
  auto tuple = Type::tuple({Type::integer(8, true), Type::string(4)});
  Bytes t = Bytes(tuple->size).put<int64_t>(0, 1).put_string(8, "a");
  o->print_value(*tuple, t.data());
  o->lost_events(5);
  o->warning("division by zero");
  EventInfo lookup;
  lookup.filename = "stdin";
  lookup.line = 1;
  lookup.column = 9;
  lookup.end_column = 12;
  lookup.source_line = "begin { @[1] }";
  o->helper_error(
      {"Can't lookup map element because it does not exist.", "map_lookup_elem", 0, &lookup});
  o->end();
  EXPECT_EQ(out.str(), "hi 3\n12:00:01\nfile contents\na b c\nfrom sh\n(1, a)\n\n\n");
  EXPECT_EQ(err.str(), "Attached 1 probe\nAttached 3 probes\nWARNING: 5 events lost\n"
                       "WARNING: division by zero\n"
                       "stdin:1:9-12: WARNING: Can't lookup map element because it does not "
                       "exist.\nAdditional Info - helper: map_lookup_elem, retcode: 0\n"
                       "begin { @[1] }\n        ~~~\n");
}

TEST_F(Outputs, JsonMessages) {
  auto o = make(OutputFormat::Json);
  o->attached_probes(1);
  o->printf("hi 3\n");
  o->time("2026\n");
  o->cat("x");
  o->join("a b");
  o->system_output("out\n");
  auto tuple = Type::tuple({Type::integer(8, true), Type::string(4)});
  Bytes t = Bytes(tuple->size).put<int64_t>(0, 1).put_string(8, "a");
  o->print_value(*tuple, t.data());
  o->print_value(*Type::integer(8, true), Bytes().put<int64_t>(0, 7).data());
  o->lost_events(2);
  EventInfo read;
  read.filename = "stdin";
  read.line = 1;
  read.column = 2;
  o->helper_error({"Bad address", "probe_read", -14, &read});
  o->end();
  o->warning("careful");
  EXPECT_EQ(out.str(),
            "{\"type\": \"attached_probes\", \"count\": 1, \"data\": {\"probes\": 1}}\n"
            "{\"type\": \"printf\", \"data\": \"hi 3\\n\"}\n"
            "{\"type\": \"time\", \"data\": \"2026\\n\"}\n"
            "{\"type\": \"cat\", \"data\": \"x\"}\n"
            "{\"type\": \"join\", \"data\": \"a b\"}\n"
            "{\"type\": \"syscall\", \"data\": \"out\\n\"}\n"
            "{\"type\": \"value\", \"data\": [1,\"a\"]}\n"
            "{\"type\": \"value\", \"data\": 7}\n"
            "{\"type\": \"lost_events\", \"count\": 2, \"data\": {\"events\": 2}}\n"
            "{\"type\": \"helper_error\", \"msg\": \"Bad address\", \"helper\": \"probe_read\", "
            "\"retcode\": -14, \"filename\": \"stdin\", \"line\": 1, \"col\": 2}\n");
  EXPECT_EQ(err.str(), "WARNING: careful\n");
}

TEST_F(Outputs, PrintfEvent) {
  auto o = make(OutputFormat::Text);
  EventInfo event;
  event.kind = EventKind::Printf;
  event.format = "pid %d comm %s\n";
  event.args = {EventArg{Type::integer(4, false), 0}, EventArg{Type::string(16), 8}};
  Bytes record = Bytes(24).put<uint32_t>(0, 1234).put_string(8, "bash");
  EXPECT_TRUE(o->event(event, record.data()));
  EXPECT_EQ(out.str(), "pid 1234 comm bash\n");
}

TEST_F(Outputs, PrintTimeAndJoinEvents) {
  auto o = make(OutputFormat::Json);
  EventInfo print;
  print.kind = EventKind::Print;
  print.args = {EventArg{Type::integer(8, true), 0}};
  EXPECT_TRUE(o->event(print, i64(-5).data()));

  EventInfo time;
  time.kind = EventKind::Time;
  time.args = {EventArg{Type::integer(8, false), 0}};
  EXPECT_TRUE(o->event(time, u64(99).data()));
  time.format = "%Y";
  EXPECT_TRUE(o->event(time, u64(99).data()));

  EventInfo join;
  join.kind = EventKind::Join;
  join.format = ",";
  join.args = {EventArg{Type::array(Type::string(8), 4), 0}};
  Bytes argv = Bytes(32).put_string(0, "ls").put_string(8, "-l").put_string(16, "/tmp");
  EXPECT_TRUE(o->event(join, argv.data()));

  EventInfo exit;
  exit.kind = EventKind::Exit;
  EXPECT_FALSE(o->event(exit, i64(0).data()));

  EXPECT_EQ(out.str(), "{\"type\": \"value\", \"data\": -5}\n"
                       "{\"type\": \"time\", \"data\": \"%H:%M:%S\\n@99\"}\n"
                       "{\"type\": \"time\", \"data\": \"%Y@99\"}\n"
                       "{\"type\": \"join\", \"data\": \"ls,-l,/tmp\"}\n");
}

TEST_F(Outputs, MapsAtExitText) {
  auto o = make(OutputFormat::Text);
  o->printf("a\n");
  std::vector<MapInfo> maps = {map_info("@a", Type::none(), Type::simple(Kind::Count)),
                               map_info("@b", Type::none(), Type::simple(Kind::Count)),
                               map_info("@c", Type::integer(8, true), Type::integer(8, true))};
  o->end();
  o->print_map(maps[0], testing::entries({{u64(0), u64(2)}}));
  o->print_map(maps[1], testing::entries({}));
  o->print_map(maps[2], testing::entries({{i64(1), i64(10)}, {i64(2), i64(-1)}}));
  EXPECT_EQ(out.str(), "a\n\n\n@a: 2\n@c[2]: -1\n@c[1]: 10\n");
}

TEST_F(Outputs, MapsAtExitJson) {
  auto o = make(OutputFormat::Json);
  std::vector<MapInfo> maps = {map_info("@a", Type::none(), Type::simple(Kind::Count))};
  o->end();
  o->print_map(maps[0], testing::entries({{u64(0), u64(2)}}));
  EXPECT_EQ(out.str(), "{\"type\": \"map\", \"data\": {\"@a\": 2}}\n");
}

TEST_F(Outputs, TestReportText) {
  auto o = make(OutputFormat::Text);
  std::vector<TestResult> results = {{"okay", true, 1500, "hidden\n"},
                                     {"bad", false, 12, "shown\n\nERROR: x\n"}};
  for (size_t i = 0; i < results.size(); i++)
    o->test_result(results[i], i, results.size());
  o->test_summary(results);
  EXPECT_EQ(out.str(), "[==========] Running 2 tests.\n"
                       "[ RUN      ] okay\n"
                       "[       OK ] okay (1 μs)\n"
                       "[ RUN      ] bad\n"
                       "shown\n"
                       "ERROR: x\n"
                       "[  FAILED  ] bad (12 ns)\n"
                       "[==========] 2 tests ran.\n"
                       "[  PASSED  ] 1 test.\n"
                       "[  FAILED  ] 1 test, listed below:\n"
                       "[  FAILED  ] bad\n");
}

TEST_F(Outputs, TestReportColoured) {
  auto o = make(OutputFormat::Text);
  o->use_color(true);
  o->test_result({"t", true, 3, ""}, 0, 1);
  EXPECT_EQ(out.str(), "\033[32m[==========]\033[0m Running 1 test.\n"
                       "\033[32m[ RUN      ]\033[0m t\n"
                       "\033[32m[       OK ]\033[0m t (3 ns)\n");
}

TEST_F(Outputs, BenchmarkTable) {
  auto o = make(OutputFormat::Text);
  o->benchmarks({{"count", 40, 1000}, {"a_much_longer_name", 1234567890123, 10}});
  EXPECT_EQ(out.str(), "+--------------------+---------------+\n"
                       "| BENCHMARK          | NANOSECONDS   |\n"
                       "+--------------------+---------------+\n"
                       "| count              | 40            |\n"
                       "| a_much_longer_name | 1234567890123 |\n"
                       "+--------------------+---------------+\n");
}

TEST_F(Outputs, CaptureTakesStdoutAndStderr) {
  auto o = make(OutputFormat::Text);
  std::ostringstream sink;
  o->begin_capture(sink);
  o->printf("x\n");
  o->warning("w");
  o->end_capture();
  o->printf("y\n");
  EXPECT_EQ(sink.str(), "x\nWARNING: w\n");
  EXPECT_EQ(out.str(), "y\n");
}

TEST_F(Outputs, PrintMapWithTopAndDiv) {
  auto o = make(OutputFormat::Text);
  auto map = map_info("@m", Type::integer(8, true), Type::simple(Kind::Count));
  o->print_map(map, testing::entries({{i64(1), u64(100)}, {i64(2), u64(300)}}), 1, 100);
  EXPECT_EQ(out.str(), "@m[2]: 3\n");
}

} // namespace
} // namespace sonde::output
