#pragma once

// The values of reduced aggregation slots (see reduce_percpu), in the
// layouts types/type.h documents for Kind::Count … Kind::LHist.

#include "types/type.h"

#include <cstdint>

namespace sonde::output {

struct StatsValue {
  int64_t count = 0;
  int64_t total = 0;
  int64_t average = 0; // total / count, truncated toward zero; 0 when empty
};

uint64_t count_value(const uint8_t *slot);
int64_t sum_value(const uint8_t *slot);
int64_t min_max_value(const uint8_t *slot);
StatsValue stats_value(const uint8_t *slot); // Avg and Stats
uint64_t histogram_total(const types::Type &type, const uint8_t *buckets);

} // namespace sonde::output
