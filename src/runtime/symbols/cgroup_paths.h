#pragma once

// cgroup ids to paths. A cgroup's id is the inode number of its directory in
// cgroupfs; the path is looked up in every mounted hierarchy and printed the
// way bpftrace prints cgroup_path(): "unified:/user.slice,memory:/" — the
// cgroup2 hierarchy ("unified") first, then the cgroup v1 hierarchies by name,
// each with the path under its mount point of a directory with that inode.
// A filter (a wildcard over hierarchy names, cgroup_path()'s second argument)
// keeps only the hierarchies it matches.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sonde::symbols {

class CgroupPaths {
public:
  // `mounts` is /proc/self/mounts except in tests.
  explicit CgroupPaths(std::string mounts = "/proc/self/mounts") : mounts_(std::move(mounts)) {}

  // "" when no hierarchy the filter matches has the id.
  std::string path(uint64_t id, const std::string &filter = "*");

private:
  struct Found {
    std::string hierarchy; // "unified", "memory"
    std::string path;      // "/user.slice"
  };
  const std::vector<Found> &lookup(uint64_t id);

  std::string mounts_;
  std::map<uint64_t, std::vector<Found>> cache_;
};

} // namespace sonde::symbols
