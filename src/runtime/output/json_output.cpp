#include "runtime/output/json_output.h"

#include "runtime/output/json_string.h"
#include "runtime/output/map_print.h"

#include <ostream>

namespace sonde::output {

void JsonOutput::message(const char *type, const std::string &data_json) {
  out_ << "{\"type\": \"" << type << "\", \"data\": " << data_json << "}\n";
}

void JsonOutput::attached_probes(uint64_t count) {
  out_ << "{\"type\": \"attached_probes\", \"count\": " << count
       << ", \"data\": {\"probes\": " << count << "}}\n";
}

void JsonOutput::printf(const std::string &text) { message("printf", json_quote(text)); }

void JsonOutput::print_value(const types::Type &type, const uint8_t *bytes) {
  message("value", formatter_.json(type, bytes));
}

void JsonOutput::print_map(const MapInfo &map, const MapEntries &entries, uint64_t top,
                           uint64_t div, const TSeriesBounds &) {
  print_map_json(out_, map, entries, top, div, formatter_);
}

void JsonOutput::time(const std::string &text) { message("time", json_quote(text)); }

void JsonOutput::cat(const std::string &text) { message("cat", json_quote(text)); }

void JsonOutput::join(const std::string &text) { message("join", json_quote(text)); }

void JsonOutput::system_output(const std::string &text) { message("syscall", json_quote(text)); }

void JsonOutput::lost_events(uint64_t count) {
  out_ << "{\"type\": \"lost_events\", \"count\": " << count << ", \"data\": {\"events\": " << count
       << "}}\n";
}

void JsonOutput::helper_error(const HelperError &error) {
  out_ << "{\"type\": \"helper_error\", \"msg\": " << json_quote(error.message)
       << ", \"helper\": " << json_quote(error.helper) << ", \"retcode\": " << error.retcode
       << ", \"filename\": " << json_quote(error.event->filename)
       << ", \"line\": " << error.event->line << ", \"col\": " << error.event->column << "}\n";
}

// JSON consumers need no separator before the maps.
void JsonOutput::end() {}

void JsonOutput::test_result(const TestResult &result, size_t, size_t) {
  message("test_result", "{\"name\": " + json_quote(result.name) +
                             ", \"passed\": " + (result.passed ? "true" : "false") +
                             ", \"nanoseconds\": " + std::to_string(result.nanoseconds) +
                             ", \"output\": " + json_quote(result.output) + "}");
}

void JsonOutput::test_summary(const std::vector<TestResult> &results) {
  size_t passed = 0;
  for (const TestResult &result : results)
    passed += result.passed ? 1 : 0;
  message("test_summary", "{\"tests\": " + std::to_string(results.size()) +
                              ", \"passed\": " + std::to_string(passed) +
                              ", \"failed\": " + std::to_string(results.size() - passed) + "}");
}

void JsonOutput::benchmarks(const std::vector<BenchmarkResult> &results) {
  std::string data = "{";
  for (size_t i = 0; i < results.size(); i++)
    data += (i ? ", " : "") + json_quote(results[i].name) + ": " +
            std::to_string(results[i].nanoseconds);
  message("benchmark_results", data + "}");
}

} // namespace sonde::output
