#include "runtime/output/json_string.h"
#include "runtime/output/map_print.h"

#include <ostream>

namespace sonde::output {

using types::Kind;

namespace {

const char *message_type(const types::Type &value) {
  switch (value.kind) {
  case Kind::Hist:
  case Kind::LHist:
    return "hist";
  case Kind::Avg:
  case Kind::Stats:
    return "stats";
  case Kind::TSeries:
    return "tseries";
  default:
    return "map";
  }
}

} // namespace

void print_map_json(std::ostream &out, const MapInfo &map, const std::vector<MapEntry> &entries,
                    uint64_t top, uint64_t div, const ValueFormatter &formatter) {
  bool tseries = map.value->kind == Kind::TSeries;
  auto order = ordered_entries(map, entries, tseries ? 0 : top);
  if (order.empty())
    return;
  uint64_t newest = tseries ? newest_epoch(map, order) : 0;
  auto value_json = [&](const MapEntry &entry) {
    if (tseries)
      return tseries_json(*map.value, tseries_points(*map.value, entry.value.data(), newest));
    return formatter.json(*map.value, entry.value.data(), div);
  };
  out << "{\"type\": \"" << message_type(*map.value) << "\", \"data\": {"
      << json_quote(map.script_name) << ": ";
  if (map.key->kind == Kind::None) {
    out << value_json(*order.front());
  } else {
    out << "{";
    for (size_t i = 0; i < order.size(); i++) {
      if (i)
        out << ", ";
      out << json_quote(map_key_text(*map.key, order[i]->key.data(), formatter, ",")) << ": "
          << value_json(*order[i]);
    }
    out << "}";
  }
  out << "}}\n";
}

} // namespace sonde::output
