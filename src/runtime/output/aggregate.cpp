#include "runtime/output/aggregate.h"

#include "runtime/output/bytes.h"

namespace sonde::output {

uint64_t count_value(const uint8_t *slot) { return read_u64(slot); }

int64_t sum_value(const uint8_t *slot) { return read_i64(slot); }

int64_t min_max_value(const uint8_t *slot) { return read_i64(slot); }

StatsValue stats_value(const uint8_t *slot) {
  StatsValue v;
  v.total = read_i64(slot);
  v.count = read_i64(slot + 8);
  v.average = v.count ? v.total / v.count : 0;
  return v;
}

uint64_t histogram_total(const types::Type &type, const uint8_t *buckets) {
  uint64_t total = 0;
  for (uint64_t i = 0; i < type.size / 8; i++)
    total += read_u64(buckets + 8 * i);
  return total;
}

} // namespace sonde::output
