#pragma once

// One scrape: every script map read from the kernel at that moment, and
// sonde's own health, as metric families in exposition text. Runs on the
// server's thread, so it reads the session through `SessionReader` only
// (BPF syscalls, atomics) and formats with a formatter whose symbols are
// safe to share (LockedSymbols).
//
// Health families (names with the same prefix as the maps):
//   <prefix>_build_info{version="…"} 1             gauge
//   <prefix>_probes_attached                       gauge
//   <prefix>_events_lost_total                     counter
//   <prefix>_map_entries{map="@x"}                 gauge
//   <prefix>_map_max_entries{map="@x"}             gauge
// They follow the maps, whose entries are counted as they are written. A map
// whose family name is already taken (by these or another map) is left out.

#include "common/compiled_script.h"
#include "common/expected.h"
#include "metrics/exposition.h"
#include "runtime/output/map_entries.h"
#include "runtime/output/value_formatter.h"

#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace sonde::metrics {

struct SessionReader {
  // The entries of script map `index` (CompiledScript::maps), per-CPU
  // values reduced.
  std::function<Expected<output::MapEntries>(size_t index)> map_entries;
  std::function<Expected<uint64_t>()> lost_events;
  std::function<uint64_t()> attached_probes;
};

class Collector {
public:
  Collector(const std::vector<MapInfo> &maps, SessionReader reader,
            const output::ValueFormatter &formatter, std::string prefix, std::string version);

  std::string scrape(ExpositionFormat format) const;

private:
  std::string name(const std::string &suffix) const;
  void write_health(ExpositionWriter &writer, MetricFamily entries, MetricFamily limits) const;

  const std::vector<MapInfo> &maps_;
  SessionReader reader_;
  output::ValueFormatter formatter_;
  std::string prefix_;
  std::string version_;
  // One scrape at a time: a burst of scrapers takes no more memory or CPU
  // than one.
  mutable std::mutex scraping_;
};

} // namespace sonde::metrics
