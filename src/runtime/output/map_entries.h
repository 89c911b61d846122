#pragma once

// The entries of a script map as the runtime read them, and the order in
// which they print: ascending by value for integers and aggregations
// (average for avg/stats, total count for histograms), by key otherwise
// (tseries too);
// ties keep key order.

#include "common/compiled_script.h"

#include <cstdint>
#include <vector>

namespace sonde::output {

struct MapEntry {
  std::vector<uint8_t> key;   // MapInfo::key's layout (8 zero bytes for a scalar map)
  std::vector<uint8_t> value; // MapInfo::value's layout; per-CPU values already reduced
};

// `top` > 0 keeps only the last `top` entries of the order (the largest).
std::vector<const MapEntry *>
ordered_entries(const MapInfo &map, const std::vector<MapEntry> &entries, uint64_t top = 0);

// Three-way comparison of two values of `type` (negative, 0, positive):
// integers by value, strings up to their NUL, tuples/records/structs/arrays
// member by member, anything else byte by byte.
int compare_values(const types::Type &type, const uint8_t *a, const uint8_t *b);

} // namespace sonde::output
