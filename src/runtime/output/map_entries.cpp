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

// A number that orders every int64 and uint64 exactly.
using SortNumber = __int128;

bool orders_by_value(const Type &type) {
  return type.kind == Kind::Integer || (type.is_aggregation() && type.kind != Kind::TSeries);
}

// What a map ordered by value (orders_by_value) sorts on: the integer, the
// count or sum, min or max, the average for avg/stats, the total count for
// histograms.
SortNumber value_rank(const Type &type, const uint8_t *value) {
  switch (type.kind) {
  case Kind::Integer:
    return type.is_signed ? SortNumber(static_cast<int64_t>(read_integer(type, value)))
                          : SortNumber(read_integer(type, value));
  case Kind::Count:
    return count_value(value);
  case Kind::Sum:
    return sum_value(value);
  case Kind::Min:
  case Kind::Max:
    return min_max_value(value);
  case Kind::Avg:
  case Kind::Stats:
    return stats_value(value).average;
  default: // Hist, LHist
    return histogram_total(type, value);
  }
}

// An entry with what it sorts by, computed once rather than per comparison
// (a map can hold millions of entries).
struct Ranked {
  SortNumber value = 0;
  SortNumber key = 0; // integer keys only
  const MapEntry *entry = nullptr;
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
  const Type &key_type = *map.key;
  bool by_value = orders_by_value(*map.value);
  bool integer_key = key_type.kind == Kind::Integer;
  std::vector<Ranked> ranked;
  ranked.reserve(entries.size());
  for (const auto &entry : entries) {
    Ranked r;
    r.entry = &entry;
    if (by_value)
      r.value = value_rank(*map.value, entry.value.data());
    if (integer_key)
      r.key = value_rank(key_type, entry.key.data());
    ranked.push_back(r);
  }
  // By value, then by key; entries whose keys compare equal keep the order read.
  auto before = [&](const Ranked &a, const Ranked &b) {
    if (a.value != b.value)
      return a.value < b.value;
    int c = integer_key ? three_way(a.key, b.key)
            : key_type.kind == Kind::None
                ? 0
                : compare_values(key_type, a.entry->key.data(), b.entry->key.data());
    return c ? c < 0 : a.entry < b.entry;
  };
  auto first = ranked.begin();
  if (top > 0 && ranked.size() > top) {
    // Only the largest `top` are printed: select them, sort only those.
    first = ranked.end() - static_cast<ptrdiff_t>(top);
    std::nth_element(ranked.begin(), first, ranked.end(), before);
  }
  std::sort(first, ranked.end(), before);
  std::vector<const MapEntry *> order;
  order.reserve(static_cast<size_t>(ranked.end() - first));
  for (auto it = first; it != ranked.end(); ++it)
    order.push_back(it->entry);
  return order;
}

} // namespace sonde::output
