// The text reports of --mode test (a GoogleTest-style log, as bpftrace
// writes it) and --mode bench (a table of average run times).

#include "runtime/output/text_output.h"

#include <algorithm>
#include <ostream>
#include <sstream>

namespace sonde::output {

namespace {

// "12 μs": the duration in the largest unit it reaches, truncated.
std::string duration_text(uint64_t ns) {
  if (ns >= 1000000000)
    return std::to_string(ns / 1000000000) + " s";
  if (ns >= 1000000)
    return std::to_string(ns / 1000000) + " ms";
  if (ns >= 1000)
    return std::to_string(ns / 1000) + " μs";
  return std::to_string(ns) + " ns";
}

const char *tests_word(size_t n) { return n == 1 ? "test" : "tests"; }

// A status tag, green or red on a terminal.
void tag(std::ostream &out, bool color, const char *text, bool ok) {
  if (color)
    out << (ok ? "\033[32m" : "\033[31m") << text << "\033[0m ";
  else
    out << text << " ";
}

} // namespace

void TextOutput::test_result(const TestResult &result, size_t index, size_t count) {
  if (index == 0) {
    tag(out_, color_, "[==========]", true);
    out_ << "Running " << count << " " << tests_word(count) << ".\n";
  }
  tag(out_, color_, "[ RUN      ]", true);
  out_ << result.name << "\n";
  if (!result.passed) {
    std::istringstream lines(result.output);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty())
        out_ << line << "\n";
  }
  tag(out_, color_, result.passed ? "[       OK ]" : "[  FAILED  ]", result.passed);
  out_ << result.name << " (" << duration_text(result.nanoseconds) << ")\n";
}

void TextOutput::test_summary(const std::vector<TestResult> &results) {
  size_t passed = static_cast<size_t>(
      std::count_if(results.begin(), results.end(), [](const auto &r) { return r.passed; }));
  size_t failed = results.size() - passed;
  tag(out_, color_, "[==========]", true);
  out_ << results.size() << " " << tests_word(results.size()) << " ran.\n";
  tag(out_, color_, "[  PASSED  ]", true);
  out_ << passed << " " << tests_word(passed) << ".\n";
  if (failed == 0)
    return;
  tag(out_, color_, "[  FAILED  ]", false);
  out_ << failed << " " << tests_word(failed) << ", listed below:\n";
  for (const TestResult &result : results)
    if (!result.passed) {
      tag(out_, color_, "[  FAILED  ]", false);
      out_ << result.name << "\n";
    }
}

// +-----------+-------------+
// | BENCHMARK | NANOSECONDS |
// +-----------+-------------+
// | count     | 40          |
// +-----------+-------------+
void TextOutput::benchmarks(const std::vector<BenchmarkResult> &results) {
  const std::string name_title = "BENCHMARK", time_title = "NANOSECONDS";
  size_t name_width = name_title.size(), time_width = time_title.size();
  for (const BenchmarkResult &result : results) {
    name_width = std::max(name_width, result.name.size());
    time_width = std::max(time_width, std::to_string(result.nanoseconds).size());
  }
  std::string rule =
      "+" + std::string(name_width + 2, '-') + "+" + std::string(time_width + 2, '-') + "+\n";
  auto row = [&](const std::string &name, const std::string &time) {
    out_ << "| " << name << std::string(name_width - name.size(), ' ') << " | " << time
         << std::string(time_width - time.size(), ' ') << " |\n";
  };
  out_ << rule;
  row(name_title, time_title);
  out_ << rule;
  for (const BenchmarkResult &result : results)
    row(result.name, std::to_string(result.nanoseconds));
  out_ << rule;
}

} // namespace sonde::output
