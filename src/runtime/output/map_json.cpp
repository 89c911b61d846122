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
  default:
    return "map";
  }
}

} // namespace

void print_map_json(std::ostream &out, const MapInfo &map, const std::vector<MapEntry> &entries,
                    uint64_t top, uint64_t div, const ValueFormatter &formatter) {
  auto order = ordered_entries(map, entries, top);
  if (order.empty())
    return;
  out << "{\"type\": \"" << message_type(*map.value) << "\", \"data\": {"
      << json_quote(map.script_name) << ": ";
  if (map.key->kind == Kind::None) {
    out << formatter.json(*map.value, order.front()->value.data(), div);
  } else {
    out << "{";
    for (size_t i = 0; i < order.size(); i++) {
      if (i)
        out << ", ";
      out << json_quote(map_key_text(*map.key, order[i]->key.data(), formatter, ",")) << ": "
          << formatter.json(*map.value, order[i]->value.data(), div);
    }
    out << "}";
  }
  out << "}}\n";
}

} // namespace sonde::output
