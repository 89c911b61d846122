#pragma once

// Where the session delivers what the programs report, in event order. The
// output layer (src/runtime/output/) implements it for text and JSON; the
// session itself formats nothing.

#include "codegen/compiled_script.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sonde::runtime {

// One map entry as the kernel stores it. For a per-CPU map `value` holds
// `ncpus` slots, each the value size rounded up to 8 bytes, in CPU order;
// reducing them is the output layer's job.
struct MapEntry {
  std::vector<uint8_t> key;
  std::vector<uint8_t> value;
};

struct MapContents {
  const codegen::MapInfo *map = nullptr;
  uint32_t ncpus = 1; // slots per value: libbpf's possible CPUs for per-CPU maps, else 1
  std::vector<MapEntry> entries;
};

class EventSink {
public:
  virtual ~EventSink() = default;

  virtual void attached_probes(uint64_t count) = 0;

  // The text printf(3) would produce for an event's format and arguments;
  // `args` points just past the record's event id. The session uses it for
  // printf, and for the path of cat() and the command of system().
  virtual std::string format(const codegen::EventInfo &event, const uint8_t *args) = 0;

  virtual void printf(const std::string &text) = 0;
  virtual void print_value(const types::Type &type, const uint8_t *value) = 0;
  virtual void print_map(const MapContents &map, int64_t top, int64_t div) = 0;
  // time(): `ns` is CLOCK_REALTIME; `format` is a strftime format.
  virtual void time(uint64_t ns, const std::string &format) = 0;
  virtual void cat(const std::string &text) = 0;
  virtual void system_output(const std::string &text) = 0;
  // join(): the already joined text, without a trailing newline.
  virtual void join(const std::string &text) = 0;

  // At exit: every script map in name order, empty ones included.
  virtual void maps_at_exit(const std::vector<MapContents> &maps) = 0;
  virtual void lost_events(uint64_t count) = 0;
  virtual void warning(const std::string &text) = 0;
};

} // namespace sonde::runtime
