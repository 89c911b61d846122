#pragma once

// The bucket layout of hist() and lhist() maps: the contract between codegen,
// which increments bucket hist_bucket_index(value) in BPF, and the runtime,
// which prints each bucket with the bounds below.
//
// hist(x, k), k in 0..5: each power of two [2^p, 2^(p+1)) is split into 2^k
// buckets of equal width, except that no bucket is narrower than one value.
//   bucket 0                    x < 0
//   bucket x + 1                0 <= x < 2^(k+1)      (one value per bucket)
//   ((p - k) << k) + (x >> (p - k)) + 1
//                               x >= 2^k, p = floor(log2(x))
// (both formulas agree for 2^k <= x < 2^(k+1)). For k = 0 that is: 0 negative,
// 1 zero, 2 one, 3 [2, 4), 4 [4, 8), … 64 [2^62, 2^63). The highest index is
// (64 - k) << k, below Type::hist_bucket_count().
//
// lhist(x, min, max, step):
//   bucket 0                    x < min
//   bucket 1 + (x - min) / step min <= x < max
//   last bucket                 x >= max   (Type::lhist_bucket_count() - 1)
// When step does not divide max - min, the last regular bucket is narrower:
// it ends at max.

#include "types/type.h"

#include <cstdint>

namespace sonde::types {

uint64_t hist_bucket_index(int64_t value, uint32_t bits);

// The exclusive upper bound of hist bucket `index` (index >= 1; bucket 0
// holds the negative values and ends at 0). Bucket `index` covers
// [hist_bucket_upper(index - 1), hist_bucket_upper(index)), with
// hist_bucket_upper(0) == 0. Unsigned: the top bucket ends at 2^63.
uint64_t hist_bucket_upper(uint64_t index, uint32_t bits);

uint64_t lhist_bucket_index(int64_t value, int64_t min, int64_t max, int64_t step);

// The inclusive lower bound of lhist bucket `index` (index >= 1); bucket 0
// holds values below min, the last bucket starts at max.
int64_t lhist_bucket_lower(uint64_t index, const Type &lhist);

} // namespace sonde::types
