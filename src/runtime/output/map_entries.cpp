#include "runtime/output/map_entries.h"

#include "runtime/output/aggregate.h"
#include "runtime/output/bytes.h"

#include <algorithm>
#include <cstring>

namespace sonde::output {

using types::Kind;
using types::Type;

namespace {

template <typename T> int three_way(T a, T b) { return a < b ? -1 : a > b ? 1 : 0; }

// Compares the values of maps ordered by value (applies()); the others are
// ordered by key.
struct ValueOrder {
  const Type &type;

  bool applies() const { return type.kind == Kind::Integer || type.is_aggregation(); }

  int compare(const uint8_t *a, const uint8_t *b) const {
    switch (type.kind) {
    case Kind::Integer:
      return compare_values(type, a, b);
    case Kind::Count:
      return three_way(count_value(a), count_value(b));
    case Kind::Sum:
      return three_way(sum_value(a), sum_value(b));
    case Kind::Min:
    case Kind::Max:
      return three_way(min_max_value(a), min_max_value(b));
    case Kind::Avg:
    case Kind::Stats:
      return three_way(stats_value(a).average, stats_value(b).average);
    default: // Hist, LHist
      return three_way(histogram_total(type, a), histogram_total(type, b));
    }
  }
};

int compare_strings(const Type &type, const uint8_t *a, const uint8_t *b) {
  size_t la = strnlen(reinterpret_cast<const char *>(a), type.size);
  size_t lb = strnlen(reinterpret_cast<const char *>(b), type.size);
  int c = std::memcmp(a, b, std::min(la, lb));
  return c ? c : three_way(la, lb);
}

} // namespace

int compare_values(const Type &type, const uint8_t *a, const uint8_t *b) {
  switch (type.kind) {
  case Kind::Integer:
    if (type.is_signed)
      return three_way(static_cast<int64_t>(read_integer(type, a)),
                       static_cast<int64_t>(read_integer(type, b)));
    return three_way(read_integer(type, a), read_integer(type, b));
  case Kind::String:
    return compare_strings(type, a, b);
  case Kind::Tuple:
  case Kind::Record:
  case Kind::Struct:
    for (const auto &field : type.fields)
      if (int c = compare_values(*field.type, a + field.offset, b + field.offset))
        return c;
    return 0;
  case Kind::Array:
    for (uint64_t i = 0; i < type.count; i++) {
      uint64_t offset = i * type.element->size;
      if (int c = compare_values(*type.element, a + offset, b + offset))
        return c;
    }
    return 0;
  default:
    return std::memcmp(a, b, type.size);
  }
}

std::vector<const MapEntry *> ordered_entries(const MapInfo &map,
                                              const std::vector<MapEntry> &entries, uint64_t top) {
  std::vector<const MapEntry *> order;
  order.reserve(entries.size());
  for (const auto &entry : entries)
    order.push_back(&entry);
  if (map.key->kind != Kind::None)
    std::stable_sort(order.begin(), order.end(), [&](const MapEntry *a, const MapEntry *b) {
      return compare_values(*map.key, a->key.data(), b->key.data()) < 0;
    });
  ValueOrder by_value{*map.value};
  if (by_value.applies())
    std::stable_sort(order.begin(), order.end(), [&](const MapEntry *a, const MapEntry *b) {
      return by_value.compare(a->value.data(), b->value.data()) < 0;
    });
  if (top > 0 && order.size() > top)
    order.erase(order.begin(), order.end() - static_cast<ptrdiff_t>(top));
  return order;
}

} // namespace sonde::output
