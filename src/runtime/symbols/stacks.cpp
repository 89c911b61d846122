#include "runtime/symbols/stacks.h"

#include <algorithm>
#include <bpf/bpf.h>

namespace sonde::symbols {

namespace {

struct StackMap {
  int fd;
  uint32_t depth; // instruction pointers per stack
};

uint32_t stack_depth(int fd) {
  bpf_map_info info{};
  uint32_t length = sizeof info;
  if (bpf_obj_get_info_by_fd(fd, &info, &length) != 0)
    return 0;
  return info.value_size / sizeof(uint64_t);
}

} // namespace

StackReader stack_trace_reader(std::vector<int> map_fds) {
  std::vector<StackMap> maps;
  for (int fd : map_fds)
    maps.push_back(StackMap{fd, stack_depth(fd)});
  return [maps = std::move(maps)](uint64_t stack) {
    uint64_t index = stack >> 32;
    auto id = static_cast<uint32_t>(stack);
    std::vector<uint64_t> ips;
    if (index >= maps.size() || maps[index].depth == 0)
      return ips;
    ips.resize(maps[index].depth);
    if (bpf_map_lookup_elem(maps[index].fd, &id, ips.data()) != 0)
      return std::vector<uint64_t>();
    auto end = std::find(ips.begin(), ips.end(), 0);
    ips.erase(end, ips.end());
    return ips;
  };
}

} // namespace sonde::symbols
