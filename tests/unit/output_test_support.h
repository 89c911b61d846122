#pragma once

// Builds values in BPF memory layout for the output tests.

#include "common/compiled_script.h"
#include "runtime/output/map_entries.h"
#include "runtime/output/symbols.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace sonde::output::testing {

class Bytes {
public:
  explicit Bytes(size_t size = 0) : data_(size) {}

  template <typename T> Bytes &put(size_t offset, T value) {
    if (data_.size() < offset + sizeof value)
      data_.resize(offset + sizeof value);
    std::memcpy(data_.data() + offset, &value, sizeof value);
    return *this;
  }
  Bytes &put_string(size_t offset, const std::string &s) {
    if (data_.size() < offset + s.size())
      data_.resize(offset + s.size());
    std::memcpy(data_.data() + offset, s.data(), s.size());
    return *this;
  }
  const uint8_t *data() const { return data_.data(); }
  const std::vector<uint8_t> &vec() const { return data_; }

private:
  std::vector<uint8_t> data_;
};

inline std::vector<uint8_t> u64(uint64_t v) { return Bytes(8).put(0, v).vec(); }
inline std::vector<uint8_t> i64(int64_t v) { return Bytes(8).put(0, v).vec(); }
inline std::vector<uint8_t> str(const std::string &s, size_t size) {
  return Bytes(size).put_string(0, s).vec();
}

// One map entry, for building MapEntries in a test.
struct Entry {
  std::vector<uint8_t> key;
  std::vector<uint8_t> value;
};

// The entries in this order; their sizes are the first entry's.
inline MapEntries entries(const std::vector<Entry> &list) {
  MapEntries out(list.empty() ? 0 : list.front().key.size(),
                 list.empty() ? 0 : list.front().value.size());
  for (const Entry &entry : list)
    out.add(entry.key.data(), entry.value.data());
  return out;
}

inline MapInfo map_info(std::string name, types::TypePtr key, types::TypePtr value) {
  MapInfo map;
  map.script_name = std::move(name);
  map.key = std::move(key);
  map.value = std::move(value);
  return map;
}

// Hist/LHist buckets with the given counts at the given indexes.
inline std::vector<uint8_t> buckets(const types::Type &type,
                                    std::vector<std::pair<uint64_t, uint64_t>> counts) {
  Bytes b(type.size);
  for (auto [index, count] : counts)
    b.put(8 * index, count);
  return b.vec();
}

// Symbols with names, so tests can tell resolution from raw printing.
class FakeSymbols : public RawSymbols {
public:
  std::string ksym(uint64_t address) override { return "ksym_" + std::to_string(address); }
  std::string usym(uint64_t address, uint64_t pid) override {
    return "usym_" + std::to_string(address) + "_" + std::to_string(pid);
  }
  std::vector<StackFrame> kstack(uint64_t stack_id) override {
    return {{0xffffffff81000010, "do_thing+16"},
            {0xffffffff81000200, ""},
            {0xffffffff81000300, "entry_" + std::to_string(stack_id) + "+0"}};
  }
  std::vector<StackFrame> ustack(uint64_t stack_id, uint64_t pid) override {
    return {{0x401000, "main+" + std::to_string(pid)}};
  }
  std::string username(uint64_t uid) override { return uid == 0 ? "root" : "user"; }
  std::string syscall_name(uint64_t nr) override { return nr == 39 ? "getpid" : "?"; }
  std::string cgroup_path(uint64_t id, const std::string &filter) override {
    return filter + ":/sys/fs/cgroup/" + std::to_string(id);
  }
  std::string probe_name(uint64_t index) override { return "probe" + std::to_string(index); }
  std::string timestamp(uint64_t ns, const std::string &format) override {
    return format + "@" + std::to_string(ns);
  }
};

} // namespace sonde::output::testing
