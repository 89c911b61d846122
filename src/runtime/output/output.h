#pragma once

// Everything the runtime shows the user goes through an Output, so the
// runtime never formats anything itself. TextOutput writes what bpftrace
// prints; JsonOutput writes one JSON object per line (-f json).
//
// The run ends with end() followed by the non-empty maps in name order
// (print_maps_at_exit does both).

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
  virtual void print_map(const MapInfo &map, const std::vector<MapEntry> &entries, uint64_t top = 0,
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

  // end(), then every map with entries, in the order given (CompiledScript
  // keeps its maps sorted by name). `read` returns a map's entries.
  void print_maps_at_exit(const std::vector<MapInfo> &maps,
                          const std::function<std::vector<MapEntry>(const MapInfo &)> &read);

  const ValueFormatter &formatter() const { return formatter_; }

protected:
  // A printf-like record as text; its format is parsed on first use only.
  std::string formatted(const EventInfo &event, const uint8_t *record_args);

  std::ostream &out_;
  std::ostream &err_;
  ValueFormatter formatter_;

private:
  bool show_warnings_ = true;
  // By event: the parsed format, or nothing when it does not parse.
  std::unordered_map<const EventInfo *, std::optional<types::FormatString>> formats_;
};

std::unique_ptr<Output> make_output(OutputFormat format, std::ostream &out, std::ostream &err,
                                    const ValueFormatter &formatter);

} // namespace sonde::output
