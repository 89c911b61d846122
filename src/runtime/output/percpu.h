#pragma once

#include "types/type.h"

#include <cstdint>
#include <vector>

namespace sonde::output {

// Bytes between two CPUs' values in what bpf_map_lookup_elem returns for a
// per-CPU map: the value size rounded up to 8.
uint64_t percpu_stride(const types::Type &value_type);

// Combines the `ncpus` per-CPU slots at `values` (percpu_stride() apart) into
// one slot of the same layout: Count and Sum add; Min and Max pick among the
// CPUs whose is_set is non-zero; Avg and Stats add total and count; Hist and
// LHist add bucket by bucket. Any other type is not an aggregation: the
// first CPU's value is returned.
std::vector<uint8_t> reduce_percpu(const types::Type &value_type, const uint8_t *values,
                                   uint64_t ncpus);
// The same, written to the value_type.size bytes at `out`.
void reduce_percpu(const types::Type &value_type, uint8_t *out, const uint8_t *values,
                   uint64_t ncpus);

} // namespace sonde::output
