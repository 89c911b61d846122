#include "runtime/map_access.h"

#include "runtime/output/percpu.h"

#include <algorithm>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>

namespace sonde::runtime {

namespace {

bool is_percpu(bpf_map_type type) {
  return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
         type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

bool is_array(bpf_map_type type) {
  return type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

// Entries read by one batched lookup: up to 8,192, fewer when their values
// are large (a per-CPU hist() value is about a kilobyte per CPU), so that
// the buffers of a batch stay near a megabyte. A hash bucket with more
// entries than a batch holds makes the kernel ask for more (ENOSPC).
constexpr uint32_t kBatchEntries = 8192;
constexpr size_t kBatchBytes = size_t{1} << 20;

} // namespace

MapAccess::MapAccess(const bpf_map *map)
    : fd_(bpf_map__fd(map)), name_(bpf_map__name(map)), key_size_(bpf_map__key_size(map)),
      value_size_(bpf_map__value_size(map)), percpu_(is_percpu(bpf_map__type(map))),
      array_(is_array(bpf_map__type(map))) {
  if (percpu_) {
    slot_size_ = (value_size_ + 7) / 8 * 8;
    slots_ = static_cast<uint32_t>(libbpf_num_possible_cpus());
  } else {
    slot_size_ = value_size_;
    slots_ = 1;
  }
}

uint32_t MapAccess::batch_entries() const {
  return static_cast<uint32_t>(
      std::clamp<size_t>(kBatchBytes / (key_size_ + value_buffer_size()), 64, kBatchEntries));
}

Expected<std::vector<uint8_t>> MapAccess::keys() const {
  std::vector<uint8_t> keys;
  std::vector<uint8_t> next(key_size_);
  bool first = true;
  while (bpf_map_get_next_key(fd_, first ? nullptr : keys.data() + keys.size() - key_size_,
                              next.data()) == 0) {
    keys.insert(keys.end(), next.begin(), next.end());
    first = false;
  }
  if (errno != ENOENT)
    return error("cannot read the keys of map " + name_ + ": " + std::strerror(errno));
  return keys;
}

// BPF_MAP_LOOKUP_BATCH (with `remove`, LOOKUP_AND_DELETE_BATCH): thousands
// of entries per system call instead of one or two calls per entry. Each
// batch goes to `visit`. Nothing when the map type does not support it.
std::optional<Status> MapAccess::batches(bool remove, const BatchVisitor &visit) const {
  uint32_t capacity = batch_entries();
  std::vector<uint8_t> keys, values;
  // The position where a batch ends, for the next one to start; a hash
  // map's is a bucket index, an array's a key.
  std::vector<uint8_t> batch_in(std::max<uint32_t>(key_size_, 8)), batch_out(batch_in.size());
  bool first = true;
  while (true) {
    keys.resize(size_t{capacity} * key_size_);
    values.resize(size_t{capacity} * value_buffer_size());
    uint32_t count = capacity;
    LIBBPF_OPTS(bpf_map_batch_opts, opts);
    void *in = first ? nullptr : batch_in.data();
    int result = remove ? bpf_map_lookup_and_delete_batch(fd_, in, batch_out.data(), keys.data(),
                                                          values.data(), &count, &opts)
                        : bpf_map_lookup_batch(fd_, in, batch_out.data(), keys.data(),
                                               values.data(), &count, &opts);
    int saved = errno;
    if (result != 0 && saved == ENOSPC && count == 0 && capacity < (1u << 24)) {
      capacity *= 2;
      continue;
    }
    if (result != 0 && saved != ENOENT) {
      if (first && (saved == EINVAL || saved == ENOTSUP || saved == EOPNOTSUPP))
        return std::nullopt;
      return error("cannot " + std::string(remove ? "clear" : "read") + " map " + name_ + ": " +
                   std::strerror(saved));
    }
    visit(keys.data(), values.data(), count);
    if (result != 0) // ENOENT: that was the last batch
      return Status{};
    batch_in.swap(batch_out);
    first = false;
  }
}

Expected<output::MapEntries> MapAccess::entries(const types::Type &value_type) const {
  output::MapEntries entries(key_size_, percpu_ ? value_type.size : slot_size_);
  auto collect = [&](const uint8_t *keys, const uint8_t *values, uint32_t count) {
    uint8_t *out = entries.add_keys(keys, count);
    if (!percpu_) {
      std::memcpy(out, values, size_t{count} * slot_size_);
      return;
    }
    for (uint32_t i = 0; i < count; i++)
      output::reduce_percpu(value_type, out + i * entries.value_size(),
                            values + i * value_buffer_size(), slots_);
  };
  if (auto batched = batches(false, collect)) {
    if (!*batched)
      return error(batched->error());
    return entries;
  }
  auto all_keys = keys();
  if (!all_keys)
    return error(all_keys.error());
  std::vector<uint8_t> value(value_buffer_size());
  for (size_t offset = 0; offset < all_keys->size(); offset += key_size_) {
    const uint8_t *key = all_keys->data() + offset;
    // A key deleted since it was listed is simply gone.
    if (bpf_map_lookup_elem(fd_, key, value.data()) == 0)
      collect(key, value.data(), 1);
    else if (errno != ENOENT)
      return error("cannot read map " + name_ + ": " + std::strerror(errno));
  }
  return entries;
}

std::optional<Status> MapAccess::sweep(MapSweep::Action action) {
  auto index = static_cast<size_t>(action);
  if (!sweep_tried_[index]) {
    sweep_tried_[index] = true;
    auto loaded = MapSweep::load(fd_, action, value_size_, percpu_ ? slots_ : 0);
    if (loaded)
      sweeps_[index].emplace(std::move(*loaded));
  }
  if (!sweeps_[index])
    return std::nullopt;
  return sweeps_[index]->run();
}

Status MapAccess::clear() {
  // An array's entries cannot be deleted: clearing it zeroes them.
  if (array_)
    return zero();
  if (auto swept = sweep(MapSweep::Action::Delete))
    return *swept;
  if (auto batched = batches(true, [](const uint8_t *, const uint8_t *, uint32_t) {}))
    return *batched;
  auto all_keys = keys();
  if (!all_keys)
    return error(all_keys.error());
  for (size_t offset = 0; offset < all_keys->size(); offset += key_size_)
    if (bpf_map_delete_elem(fd_, all_keys->data() + offset) != 0 && errno != ENOENT)
      return error("cannot clear map " + name_ + ": " + std::strerror(errno));
  return {};
}

Status MapAccess::zero() {
  if (auto swept = sweep(MapSweep::Action::Zero))
    return *swept;
  return zero_by_system_calls();
}

// The keys are read in batches and written back zeroed in batches
// (BPF_MAP_UPDATE_BATCH), else one system call per key. The kernel takes no
// BPF_EXIST for a batch: a key deleted between the read and the write comes
// back, zeroed.
Status MapAccess::zero_by_system_calls() const {
  std::vector<uint8_t> all_keys;
  auto collect = [&](const uint8_t *keys, const uint8_t *, uint32_t count) {
    all_keys.insert(all_keys.end(), keys, keys + size_t{count} * key_size_);
  };
  if (auto batched = batches(false, collect)) {
    if (!*batched)
      return *batched;
  } else if (auto listed = keys()) {
    all_keys = std::move(*listed);
  } else {
    return error(listed.error());
  }
  size_t total = all_keys.size() / key_size_;
  std::vector<uint8_t> zeros(std::min<size_t>(total, batch_entries()) * value_buffer_size());
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  for (size_t done = 0; done < total;) {
    const uint8_t *key = all_keys.data() + done * key_size_;
    auto count = static_cast<uint32_t>(std::min<size_t>(total - done, batch_entries()));
    if (bpf_map_update_batch(fd_, key, zeros.data(), &count, &opts) == 0) {
      done += count;
      continue;
    }
    if (done > 0 || (errno != EINVAL && errno != ENOTSUP && errno != EOPNOTSUPP))
      return error("cannot zero map " + name_ + ": " + std::strerror(errno));
    for (; done < total; done++) {
      key = all_keys.data() + done * key_size_;
      // A key deleted since it was listed is simply gone.
      if (bpf_map_update_elem(fd_, key, zeros.data(), BPF_EXIST) != 0 && errno != ENOENT)
        return error("cannot zero map " + name_ + ": " + std::strerror(errno));
    }
  }
  return {};
}

Expected<uint64_t> MapAccess::sum_at(uint32_t index) const {
  std::vector<uint8_t> key(key_size_);
  std::memcpy(key.data(), &index, std::min<size_t>(key.size(), sizeof(index)));
  std::vector<uint8_t> value(value_buffer_size());
  if (bpf_map_lookup_elem(fd_, key.data(), value.data()) != 0) {
    if (errno == ENOENT)
      return uint64_t{0};
    return error("cannot read map " + name_ + ": " + std::strerror(errno));
  }
  uint64_t sum = 0;
  for (uint32_t slot = 0; slot < slots_; slot++) {
    uint64_t count = 0;
    std::memcpy(&count, value.data() + slot * slot_size_, sizeof(count));
    sum += count;
  }
  return sum;
}

} // namespace sonde::runtime
