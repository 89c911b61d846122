#include "metrics/histogram_buckets.h"

#include "runtime/output/aggregate.h"
#include "types/histogram.h"

#include <cstring>

namespace sonde::metrics {

using types::Kind;

namespace {

uint64_t bucket_count(const uint8_t *buckets, uint64_t index) {
  uint64_t count;
  std::memcpy(&count, buckets + 8 * index, sizeof count);
  return count;
}

std::string hist_le(const types::Type &type, uint64_t index) {
  if (index == 0)
    return "-1";
  return std::to_string(types::hist_bucket_upper(index, type.hist_bits) - 1);
}

std::string lhist_le(const types::Type &type, uint64_t index) {
  if (index == 0)
    return std::to_string(type.lhist_min - 1);
  return std::to_string(types::lhist_bucket_lower(index + 1, type) - 1);
}

} // namespace

std::vector<CumulativeBucket> cumulative_buckets(const types::Type &type, const uint8_t *buckets) {
  bool hist = type.kind == Kind::Hist;
  // The buckets with a finite upper bound: hist's top index is
  // (64 - bits) << bits; lhist's last bucket has none.
  uint64_t finite = hist ? ((uint64_t{64} - type.hist_bits) << type.hist_bits) + 1
                         : type.lhist_bucket_count() - 1;
  uint64_t last_used = 0;
  bool any = false;
  for (uint64_t i = 0; i < finite; i++)
    if (bucket_count(buckets, i)) {
      last_used = i;
      any = true;
    }
  std::vector<CumulativeBucket> out;
  uint64_t cumulative = 0;
  for (uint64_t i = 0; any && i <= last_used; i++) {
    cumulative += bucket_count(buckets, i);
    out.push_back({hist ? hist_le(type, i) : lhist_le(type, i), cumulative});
  }
  out.push_back({"+Inf", output::histogram_total(type, buckets)});
  return out;
}

} // namespace sonde::metrics
