#pragma once

// clear() and zero() of a whole map inside the kernel. A BPF program built
// here, instruction by instruction, calls bpf_for_each_map_elem over the
// map and deletes each entry, or zeroes its value (every CPU's, through
// bpf_map_lookup_percpu_elem, for a per-CPU map); BPF_PROG_TEST_RUN runs it.
// No entry crosses to userspace, and there is no system call per batch: a
// 1,000,000-key per-CPU map is cleared in about half the time of batched
// lookup-and-delete, zeroed in about a third of that of batched lookup and
// update (bench/README.md, scale).
//
// Syscall programs (Linux 5.14) and bpf_map_lookup_percpu_elem (5.19) are
// needed; without them, load() fails and the caller uses system calls.

#include "common/expected.h"

#include <cstdint>

namespace sonde::runtime {

class MapSweep {
public:
  enum class Action { Delete, Zero };

  // `value_size` as the map was created; `cpus` the slots of a per-CPU
  // map's value, 0 for any other map.
  static Expected<MapSweep> load(int map_fd, Action action, uint32_t value_size, uint32_t cpus);

  MapSweep(MapSweep &&other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  MapSweep &operator=(MapSweep &&) = delete;
  ~MapSweep();

  // Every entry the map holds as it runs, deleted or zeroed.
  Status run() const;

private:
  explicit MapSweep(int fd) : fd_(fd) {}

  int fd_;
};

} // namespace sonde::runtime
