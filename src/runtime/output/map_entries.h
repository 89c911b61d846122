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

// Every key in one buffer and every value in another, each of a fixed size:
// a map of a million keys is two allocations, not two million. Keys have
// MapInfo::key's layout (8 zero bytes for a scalar map), values
// MapInfo::value's, per-CPU values already reduced.
class MapEntries {
public:
  MapEntries(size_t key_size, size_t value_size) : key_size_(key_size), value_size_(value_size) {}

  size_t size() const { return size_; }
  size_t value_size() const { return value_size_; }
  const uint8_t *key(size_t index) const { return keys_.data() + index * key_size_; }
  const uint8_t *value(size_t index) const { return values_.data() + index * value_size_; }
  // Asks the CPU to start loading an entry that will be read soon.
  void prefetch(size_t index) const {
    __builtin_prefetch(key(index));
    __builtin_prefetch(value(index));
  }

  void add(const uint8_t *key, const uint8_t *value);
  // Appends `count` keys (packed, as the kernel's batches return them) and
  // zeroed room for their values; returns where the first of those values
  // goes, for the caller to write them.
  uint8_t *add_keys(const uint8_t *keys, size_t count);

private:
  size_t key_size_;
  size_t value_size_;
  size_t size_ = 0;
  std::vector<uint8_t> keys_;
  std::vector<uint8_t> values_;
};

// Indexes into MapEntries, in printing order.
using EntryOrder = std::vector<uint32_t>;

// Calls `visit(index)` for each index of `order`. A sorted order jumps
// around memory: entries a few steps ahead are prefetched, so that their
// cache misses overlap with formatting the current one.
template <typename Visit>
void visit_in_order(const MapEntries &entries, const EntryOrder &order, Visit &&visit) {
  constexpr size_t ahead = 16;
  for (size_t i = 0; i < order.size(); i++) {
    if (i + ahead < order.size())
      entries.prefetch(order[i + ahead]);
    visit(order[i]);
  }
}

// `top` > 0 keeps only the last `top` entries of the order (the largest),
// selected without ordering the rest.
EntryOrder ordered_entries(const MapInfo &map, const MapEntries &entries, uint64_t top = 0);

// Three-way comparison of two values of `type` (negative, 0, positive):
// integers by value, strings up to their NUL, tuples/records/structs/arrays
// member by member, anything else byte by byte.
int compare_values(const types::Type &type, const uint8_t *a, const uint8_t *b);

} // namespace sonde::output
