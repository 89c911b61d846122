#pragma once

#include "runtime/output/output.h"

namespace sonde::output {

class TextOutput : public Output {
public:
  using Output::Output;

  void attached_probes(uint64_t count) override;
  void printf(const std::string &text) override;
  void print_value(const types::Type &type, const uint8_t *bytes) override;
  void print_map(const MapInfo &map, const MapEntries &entries, uint64_t top, uint64_t div,
                 const TSeriesBounds &bounds) override;
  void time(const std::string &text) override;
  void cat(const std::string &text) override;
  void join(const std::string &text) override;
  void system_output(const std::string &text) override;
  void lost_events(uint64_t count) override;
  void helper_error(const HelperError &error) override;
  void end() override;
  void test_result(const TestResult &result, size_t index, size_t count) override;
  void test_summary(const std::vector<TestResult> &results) override;
  void benchmarks(const std::vector<BenchmarkResult> &results) override;
};

} // namespace sonde::output
