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

// What an entry sorts by, as an unsigned number in the same order: a signed
// value has its sign bit flipped.
uint64_t rank_bits(int64_t value) { return static_cast<uint64_t>(value) ^ (uint64_t{1} << 63); }

bool orders_by_value(const Type &type) {
  return type.kind == Kind::Integer || (type.is_aggregation() && type.kind != Kind::TSeries);
}

// What a map ordered by value (orders_by_value) sorts on: the integer, the
// count or sum, min or max, the average for avg/stats, the total count for
// histograms.
uint64_t value_rank(const Type &type, const uint8_t *value) {
  switch (type.kind) {
  case Kind::Integer:
    return type.is_signed ? rank_bits(static_cast<int64_t>(read_integer(type, value)))
                          : read_integer(type, value);
  case Kind::Count:
    return count_value(value);
  case Kind::Sum:
    return rank_bits(sum_value(value));
  case Kind::Min:
  case Kind::Max:
    return rank_bits(min_max_value(value));
  case Kind::Avg:
  case Kind::Stats:
    return rank_bits(stats_value(value).average);
  default: // Hist, LHist
    return histogram_total(type, value);
  }
}

// An entry with what it sorts by, computed once rather than per comparison
// (a map can hold millions of entries).
struct Ranked {
  uint64_t value = 0;
  uint64_t key = 0; // integer keys only
  uint32_t index = 0;
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

void MapEntries::add(const uint8_t *key, const uint8_t *value) {
  std::memcpy(add_keys(key, 1), value, value_size_);
}

uint8_t *MapEntries::add_keys(const uint8_t *keys, size_t count) {
  keys_.insert(keys_.end(), keys, keys + count * key_size_);
  values_.resize(values_.size() + count * value_size_);
  size_ += count;
  return values_.data() + (size_ - count) * value_size_;
}

EntryOrder ordered_entries(const MapInfo &map, const MapEntries &entries, uint64_t top) {
  const Type &key_type = *map.key;
  bool by_value = orders_by_value(*map.value);
  bool integer_key = key_type.kind == Kind::Integer;
  auto rank = [&](uint32_t index) {
    Ranked r;
    r.index = index;
    if (by_value)
      r.value = value_rank(*map.value, entries.value(index));
    if (integer_key)
      r.key = value_rank(key_type, entries.key(index));
    return r;
  };
  // By value, then by key; entries whose keys compare equal keep the order read.
  auto before = [&](const Ranked &a, const Ranked &b) {
    if (a.value != b.value)
      return a.value < b.value;
    int c = integer_key ? three_way(a.key, b.key)
            : key_type.kind == Kind::None
                ? 0
                : compare_values(key_type, entries.key(a.index), entries.key(b.index));
    return c ? c < 0 : a.index < b.index;
  };
  auto count = static_cast<uint32_t>(entries.size());
  std::vector<Ranked> ranked;
  if (top > 0 && top < count) {
    // Only the largest `top` are printed: they are kept in a heap whose
    // front is the smallest of them, the rest never stored nor sorted.
    auto after = [&](const Ranked &a, const Ranked &b) { return before(b, a); };
    ranked.reserve(top);
    for (uint32_t i = 0; i < count; i++) {
      Ranked r = rank(i);
      if (ranked.size() < top) {
        ranked.push_back(r);
        std::push_heap(ranked.begin(), ranked.end(), after);
      } else if (before(ranked.front(), r)) {
        std::pop_heap(ranked.begin(), ranked.end(), after);
        ranked.back() = r;
        std::push_heap(ranked.begin(), ranked.end(), after);
      }
    }
  } else {
    ranked.reserve(count);
    for (uint32_t i = 0; i < count; i++)
      ranked.push_back(rank(i));
  }
  std::sort(ranked.begin(), ranked.end(), before);
  EntryOrder order;
  order.reserve(ranked.size());
  for (const Ranked &r : ranked)
    order.push_back(r.index);
  return order;
}

} // namespace sonde::output
