#include "types/histogram.h"

#include <algorithm>
#include <bit>

namespace sonde::types {

uint64_t hist_bucket_index(int64_t value, uint32_t bits) {
  if (value < 0)
    return 0;
  auto v = static_cast<uint64_t>(value);
  if (v < (uint64_t{1} << bits))
    return v + 1;
  uint32_t power = 63 - std::countl_zero(v);
  uint32_t shift = power - bits;
  return (uint64_t{shift} << bits) + (v >> shift) + 1;
}

uint64_t hist_bucket_upper(uint64_t index, uint32_t bits) {
  if (index <= (uint64_t{2} << bits))
    return index;
  // The first value of bucket index + 1: solve hist_bucket_index() for the
  // shift and the top bits + 1 bits of that value.
  uint64_t shift = (index >> bits) - 1;
  uint64_t mantissa = index - (shift << bits);
  return mantissa << shift;
}

uint64_t lhist_bucket_index(int64_t value, int64_t min, int64_t max, int64_t step) {
  if (value < min)
    return 0;
  if (value >= max)
    return 2 + static_cast<uint64_t>((max - min + step - 1) / step) - 1;
  return 1 + static_cast<uint64_t>((value - min) / step);
}

int64_t lhist_bucket_lower(uint64_t index, const Type &lhist) {
  return std::min(lhist.lhist_min + static_cast<int64_t>(index - 1) * lhist.lhist_step,
                  lhist.lhist_max);
}

} // namespace sonde::types
