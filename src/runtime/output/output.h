#pragma once

// Everything the runtime shows the user goes through an Output, so the
// runtime never formats anything itself. TextOutput writes what bpftrace
// prints; JsonOutput writes one JSON object per line (-f json).
//
// The run ends with end(), then (--mode bench) benchmarks(), then the
// non-empty maps in name order.

#include "common/compiled_script.h"
#include "common/diagnostics.h"
#include "runtime/output/map_entries.h"
#include "runtime/output/tseries_graph.h"
#include "runtime/output/value_formatter.h"
#include "types/format_string.h"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sonde::output {

enum class OutputFormat { Text, Json };

// A BPF helper that failed at run time (-k).
struct HelperError {
  std::string message;              // "Can't lookup map element because it does not exist."
  std::string helper;               // "map_lookup_elem"
  int64_t retcode = 0;              // the helper's (negative errno) return value
  const EventInfo *event = nullptr; // where in the script
};

// --mode test: one test probe's outcome.
struct TestResult {
  std::string name;         // NAME of test:NAME
  bool passed = false;      // returned 0, reported no error, did not exit() non-zero
  uint64_t nanoseconds = 0; // the program's run time
  std::string output;       // what it printed, shown only when it failed
};

// --mode bench: one bench probe's average run time.
struct BenchmarkResult {
  std::string name; // NAME of bench:NAME
  uint64_t nanoseconds = 0;
  uint64_t runs = 0;
};

class Output {
public:
  Output(std::ostream &out, std::ostream &err, const ValueFormatter &formatter)
      : out_(out), err_(err), formatter_(formatter) {}
  virtual ~Output() = default;

  // "Attached N probes" (text: on stderr).
  virtual void attached_probes(uint64_t count) = 0;
  virtual void printf(const std::string &text) = 0;
  // print(value) of a non-map value.
  virtual void print_value(const types::Type &type, const uint8_t *bytes) = 0;
  // print(@m, top, div) and the maps at exit; prints nothing for no entries.
  // A tseries map ignores top and div and takes its graph's bounds instead.
  virtual void print_map(const MapInfo &map, const MapEntries &entries, uint64_t top = 0,
                         uint64_t div = 0, const TSeriesBounds &bounds = {}) = 0;
  virtual void time(const std::string &text) = 0;
  virtual void cat(const std::string &text) = 0;
  virtual void join(const std::string &text) = 0;
  // What a system() command wrote.
  virtual void system_output(const std::string &text) = 0;
  virtual void lost_events(uint64_t count) = 0;
  // Always on stderr: "WARNING: text"; nothing after hide_warnings().
  void warning(const std::string &text);
  // A message about the place in the script `event` names (warnf, errorf,
  // -k, run-time warnings): "file:line:col-col: WARNING: message", then the
  // event's source line underlined, then each macro call it was expanded
  // from. Warnings are dropped after hide_warnings().
  void located(Severity severity, const EventInfo &event, const std::string &message);
  void hide_warnings() { show_warnings_ = false; }
  // Always on stderr: "ERROR: text", for what failed while the script runs on.
  void error(const std::string &text);
  // Always on stderr: "NOTE: text", for what is worth knowing but not wrong.
  void note(const std::string &text);
  virtual void helper_error(const HelperError &error) = 0;
  // Between the event stream and the maps printed at exit.
  virtual void end() = 0;
  // --mode test: each test as it ends (`index` of `count`), then all of them.
  virtual void test_result(const TestResult &result, size_t index, size_t count) = 0;
  virtual void test_summary(const std::vector<TestResult> &results) = 0;
  // --mode bench: the results, after end() and before the maps.
  virtual void benchmarks(const std::vector<BenchmarkResult> &results) = 0;

  // Until end_capture(), what the output writes (stdout and stderr alike)
  // goes to `sink` instead: a test's output is shown only if it fails.
  void begin_capture(std::ostream &sink);
  void end_capture();
  // Whether the test report colours its status tags, as a terminal shows.
  void use_color(bool color) { color_ = color; }

  // Writes out what is buffered: after each batch of events read, so
  // output stays prompt without a write per line.
  void flush() { out_.flush(); }
  // True once a write has failed (a full disk, a closed pipe): nothing more
  // can be shown, and the caller reports why.
  bool write_failed() const { return out_.fail(); }

  // Formats and shows the events that need nothing but formatting: Printf,
  // Print, Time and Join. `record_args` points after the 8-byte event id.
  // Returns false for the other kinds, which the runtime handles.
  bool event(const EventInfo &event, const uint8_t *record_args);

  const ValueFormatter &formatter() const { return formatter_; }

protected:
  // A printf-like record as text; its format is parsed on first use only.
  std::string formatted(const EventInfo &event, const uint8_t *record_args);

  std::ostream &out_;
  std::ostream &err_;
  ValueFormatter formatter_;
  bool color_ = false;

private:
  std::streambuf *saved_out_ = nullptr;
  std::streambuf *saved_err_ = nullptr;
  bool show_warnings_ = true;
  // By event: the parsed format, or nothing when it does not parse.
  std::unordered_map<const EventInfo *, std::optional<types::FormatString>> formats_;
};

std::unique_ptr<Output> make_output(OutputFormat format, std::ostream &out, std::ostream &err,
                                    const ValueFormatter &formatter);

} // namespace sonde::output
