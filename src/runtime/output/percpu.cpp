#include "runtime/output/percpu.h"

#include "runtime/output/bytes.h"
#include "runtime/output/tseries_graph.h"

#include <cstring>

namespace sonde::output {

using types::Kind;

namespace {

void write_u64(uint8_t *p, uint64_t v) { std::memcpy(p, &v, sizeof v); }

// Adds every 8-byte word of each CPU's slot (Count, Sum, Avg, Stats, Hist,
// LHist are all arrays of 64-bit counters).
void add_words(uint8_t *out, uint64_t size, const uint8_t *values, uint64_t stride,
               uint64_t ncpus) {
  for (uint64_t word = 0; word + 8 <= size; word += 8) {
    uint64_t sum = 0;
    for (uint64_t cpu = 0; cpu < ncpus; cpu++)
      sum += read_u64(values + cpu * stride + word);
    write_u64(out + word, sum);
  }
}

void pick_min_max(uint8_t *out, bool want_max, const uint8_t *values, uint64_t stride,
                  uint64_t ncpus) {
  bool found = false;
  int64_t best = 0;
  for (uint64_t cpu = 0; cpu < ncpus; cpu++) {
    const uint8_t *slot = values + cpu * stride;
    if (read_u64(slot + 8) == 0)
      continue;
    int64_t v = read_i64(slot);
    if (!found || (want_max ? v > best : v < best))
      best = v;
    found = true;
  }
  write_u64(out, static_cast<uint64_t>(best));
  write_u64(out + 8, found ? 1 : 0);
}

} // namespace

uint64_t percpu_stride(const types::Type &value_type) { return (value_type.size + 7) / 8 * 8; }

std::vector<uint8_t> reduce_percpu(const types::Type &value_type, const uint8_t *values,
                                   uint64_t ncpus) {
  std::vector<uint8_t> out(value_type.size);
  reduce_percpu(value_type, out.data(), values, ncpus);
  return out;
}

void reduce_percpu(const types::Type &value_type, uint8_t *out, const uint8_t *values,
                   uint64_t ncpus) {
  uint64_t stride = percpu_stride(value_type);
  switch (value_type.kind) {
  case Kind::Count:
  case Kind::Sum:
  case Kind::Avg:
  case Kind::Stats:
  case Kind::Hist:
  case Kind::LHist:
    add_words(out, value_type.size, values, stride, ncpus);
    break;
  case Kind::Min:
  case Kind::Max:
    pick_min_max(out, value_type.kind == Kind::Max, values, stride, ncpus);
    break;
  case Kind::TSeries:
    reduce_tseries(value_type, out, values, stride, ncpus);
    break;
  default:
    if (ncpus > 0)
      std::memcpy(out, values, value_type.size);
    else
      std::memset(out, 0, value_type.size);
    break;
  }
}

} // namespace sonde::output
