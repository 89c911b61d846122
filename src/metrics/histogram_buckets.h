#pragma once

// hist() and lhist() values as Prometheus histogram buckets.
//
// A BPF bucket holds the integers of a half-open range [lower, upper); as a
// Prometheus bucket (values <= le) it is exactly le = upper - 1. So hist()
// buckets are le="-1" (negative values), "0", "1", "3", "7", … 2^n - 1, and
// lhist(x, min, max, step) buckets le="min-1", "min+step-1", …, "max-1"; the
// values at or above lhist's max are counted in "+Inf" alone. Buckets are
// written from the first up to the last non-empty one, then "+Inf".

#include "types/type.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sonde::metrics {

struct CumulativeBucket {
  std::string le;     // the inclusive upper bound, "+Inf" for the last
  uint64_t count = 0; // values <= le
};

// `buckets`: a reduced Kind::Hist or Kind::LHist value.
std::vector<CumulativeBucket> cumulative_buckets(const types::Type &type, const uint8_t *buckets);

} // namespace sonde::metrics
