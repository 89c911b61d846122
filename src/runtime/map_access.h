#pragma once

// Userspace access to a loaded BPF map: read every entry, delete every key,
// zero every value. print(), clear() and zero() run these in event order.

#include "common/expected.h"
#include "runtime/output/map_entries.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

struct bpf_map;

namespace sonde::runtime {

class MapAccess {
public:
  explicit MapAccess(const bpf_map *map);

  // Slots per value: the possible CPUs for a per-CPU map, else 1.
  uint32_t slots() const { return slots_; }
  bool percpu() const { return percpu_; }

  // Every entry, values of `value_type` (the script map's); a per-CPU map's
  // are reduced to one (output::reduce_percpu) batch by batch as they are
  // read.
  Expected<output::MapEntries> entries(const types::Type &value_type) const;
  Status clear() const;
  Status zero() const;

  // Sum of a per-CPU uint64 at a zero key (the lost-events counter).
  Expected<uint64_t> sum_at_zero_key() const { return sum_at(0); }
  // Sum of a per-CPU uint64 at array index `index` (a map-full counter).
  Expected<uint64_t> sum_at(uint32_t index) const;

private:
  // Every key, key_size_ bytes apart, one bpf_map_get_next_key at a time.
  Expected<std::vector<uint8_t>> keys() const;
  using BatchVisitor =
      std::function<void(const uint8_t *keys, const uint8_t *values, uint32_t count)>;
  std::optional<Status> batches(bool remove, const BatchVisitor &visit) const;
  size_t value_buffer_size() const { return slots_ * slot_size_; }
  // Entries per batched system call.
  uint32_t batch_entries() const;

  int fd_;
  std::string name_;
  uint32_t key_size_;
  uint32_t slot_size_; // a value, rounded up to 8 bytes for per-CPU maps
  uint32_t slots_;
  bool percpu_;
};

} // namespace sonde::runtime
