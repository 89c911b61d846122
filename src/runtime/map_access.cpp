#include "runtime/map_access.h"

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

} // namespace

MapAccess::MapAccess(const bpf_map *map)
    : fd_(bpf_map__fd(map)), name_(bpf_map__name(map)), key_size_(bpf_map__key_size(map)),
      percpu_(is_percpu(bpf_map__type(map))) {
  uint32_t value_size = bpf_map__value_size(map);
  if (percpu_) {
    slot_size_ = (value_size + 7) / 8 * 8;
    slots_ = static_cast<uint32_t>(libbpf_num_possible_cpus());
  } else {
    slot_size_ = value_size;
    slots_ = 1;
  }
}

Expected<std::vector<std::vector<uint8_t>>> MapAccess::keys() const {
  std::vector<std::vector<uint8_t>> keys;
  std::vector<uint8_t> next(key_size_);
  const void *previous = nullptr;
  while (bpf_map_get_next_key(fd_, previous, next.data()) == 0) {
    keys.push_back(next);
    previous = keys.back().data();
  }
  if (errno != ENOENT)
    return error("cannot read the keys of map " + name_ + ": " + std::strerror(errno));
  return keys;
}

Expected<std::vector<output::MapEntry>> MapAccess::entries() const {
  auto all_keys = keys();
  if (!all_keys)
    return error(all_keys.error());
  std::vector<output::MapEntry> entries;
  for (auto &key : *all_keys) {
    output::MapEntry entry{std::move(key), std::vector<uint8_t>(value_buffer_size())};
    // A key deleted since it was listed is simply gone.
    if (bpf_map_lookup_elem(fd_, entry.key.data(), entry.value.data()) == 0)
      entries.push_back(std::move(entry));
    else if (errno != ENOENT)
      return error("cannot read map " + name_ + ": " + std::strerror(errno));
  }
  return entries;
}

Status MapAccess::clear() const {
  bpf_map_info info{};
  uint32_t info_size = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd_, &info, &info_size) == 0 &&
      is_array(static_cast<bpf_map_type>(info.type)))
    return zero();
  auto all_keys = keys();
  if (!all_keys)
    return error(all_keys.error());
  for (const auto &key : *all_keys)
    if (bpf_map_delete_elem(fd_, key.data()) != 0 && errno != ENOENT)
      return error("cannot clear map " + name_ + ": " + std::strerror(errno));
  return {};
}

Status MapAccess::zero() const {
  auto all_keys = keys();
  if (!all_keys)
    return error(all_keys.error());
  std::vector<uint8_t> zeros(value_buffer_size());
  for (const auto &key : *all_keys)
    if (bpf_map_update_elem(fd_, key.data(), zeros.data(), BPF_EXIST) != 0 && errno != ENOENT)
      return error("cannot zero map " + name_ + ": " + std::strerror(errno));
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
