#include "runtime/output/histogram_rows.h"
#include "runtime/output/map_print.h"

#include <algorithm>
#include <ostream>

namespace sonde::output {

using types::Kind;

std::string map_key_text(const types::Type &key, const uint8_t *bytes,
                         const ValueFormatter &formatter, const std::string &separator) {
  if (key.kind != Kind::Tuple)
    return formatter.text(key, bytes);
  std::string s;
  for (size_t i = 0; i < key.fields.size(); i++) {
    if (i)
      s += separator;
    s += formatter.text(*key.fields[i].type, bytes + key.fields[i].offset);
  }
  return s;
}

uint64_t newest_epoch(const MapInfo &map, const MapEntries &entries) {
  uint64_t newest = 0;
  for (size_t i = 0; i < entries.size(); i++)
    newest = std::max(newest, tseries_newest_epoch(*map.value, entries.value(i)));
  return newest;
}

void print_map(std::ostream &out, const MapInfo &map, const MapEntries &entries, uint64_t top,
               uint64_t div, const ValueFormatter &formatter, const TSeriesBounds &bounds) {
  const types::Type &value = *map.value;
  bool histogram = value.kind == Kind::Hist || value.kind == Kind::LHist;
  bool tseries = value.kind == Kind::TSeries;
  auto order = ordered_entries(map, entries, tseries ? 0 : top);
  uint64_t newest = tseries ? newest_epoch(map, entries) : 0;
  visit_in_order(entries, order, [&](uint32_t index) {
    const uint8_t *entry_value = entries.value(index);
    out << map.script_name;
    if (map.key->kind != Kind::None)
      out << "[" << map_key_text(*map.key, entries.key(index), formatter) << "]";
    if (tseries) {
      auto points = tseries_points(value, entry_value, newest);
      out << ":\n" << tseries_text(value, points, bounds) << (points.empty() ? "" : "\n");
    } else if (histogram)
      out << ":\n" << histogram_text(histogram_rows(value, entry_value, div)) << "\n";
    else
      out << ": " << formatter.text(value, entry_value, div) << "\n";
  });
}

} // namespace sonde::output
