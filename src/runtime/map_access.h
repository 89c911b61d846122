#pragma once

// Userspace access to a loaded BPF map: read every entry, delete every key,
// zero every value. print(), clear() and zero() run these in event order.

#include "common/expected.h"
#include "runtime/map_sweep.h"
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

  // Every entry, values of `value_type` (the script map's); a per-CPU map's
  // are reduced to one (output::reduce_percpu) batch by batch as they are
  // read.
  Expected<output::MapEntries> entries(const types::Type &value_type) const;
  // In the kernel where it can (MapSweep), else in batches of system calls.
  Status clear();
  Status zero();

  // Sum of a per-CPU uint64 at a zero key (the lost-events counter).
  Expected<uint64_t> sum_at_zero_key() const { return sum_at(0); }
  // Sum of a per-CPU uint64 at array index `index` (a map-full counter).
  Expected<uint64_t> sum_at(uint32_t index) const;

private:
  // Every key, key_size_ bytes apart, one bpf_map_get_next_key at a time.
  Expected<std::vector<uint8_t>> keys() const;
  // Runs the sweep for `action`, loaded on first use; nothing when the
  // kernel cannot load one.
  std::optional<Status> sweep(MapSweep::Action action);
  Status zero_by_system_calls() const;
  using BatchVisitor =
      std::function<void(const uint8_t *keys, const uint8_t *values, uint32_t count)>;
  std::optional<Status> batches(bool remove, const BatchVisitor &visit) const;
  size_t value_buffer_size() const { return slots_ * slot_size_; }
  // Entries per batched system call.
  uint32_t batch_entries() const;

  int fd_;
  std::string name_;
  uint32_t key_size_;
  uint32_t value_size_;
  uint32_t slot_size_; // a value, rounded up to 8 bytes for per-CPU maps
  uint32_t slots_;
  bool percpu_;
  bool array_;
  // By MapSweep::Action: the loaded sweep, or nothing once it failed to load.
  std::optional<MapSweep> sweeps_[2];
  bool sweep_tried_[2] = {false, false};
};

} // namespace sonde::runtime
