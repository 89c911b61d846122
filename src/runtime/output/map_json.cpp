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

void print_map_json(std::ostream &out, const MapInfo &map, const MapEntries &entries, uint64_t top,
                    uint64_t div, const ValueFormatter &formatter) {
  bool tseries = map.value->kind == Kind::TSeries;
  auto order = ordered_entries(map, entries, tseries ? 0 : top);
  if (order.empty())
    return;
  uint64_t newest = tseries ? newest_epoch(map, entries) : 0;
  auto value_json = [&](uint32_t index) {
    if (tseries)
      return tseries_json(*map.value, tseries_points(*map.value, entries.value(index), newest));
    return formatter.json(*map.value, entries.value(index), div);
  };
  out << "{\"type\": \"" << message_type(*map.value) << "\", \"data\": {"
      << json_quote(map.script_name) << ": ";
  if (map.key->kind == Kind::None) {
    out << value_json(order.front());
  } else {
    out << "{";
    const char *separator = "";
    visit_in_order(entries, order, [&](uint32_t index) {
      out << separator << json_quote(map_key_text(*map.key, entries.key(index), formatter, ","))
          << ": " << value_json(index);
      separator = ", ";
    });
    out << "}";
  }
  out << "}}\n";
}

} // namespace sonde::output
