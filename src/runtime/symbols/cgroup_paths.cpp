#include "runtime/symbols/cgroup_paths.h"

#include <algorithm>
#include <filesystem>
#include <fnmatch.h>
#include <fstream>
#include <optional>
#include <sstream>
#include <sys/stat.h>
#include <vector>

namespace sonde::symbols {

namespace fs = std::filesystem;

namespace {

uint64_t inode_of(const fs::path &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// The path under `mount_point` of the first directory whose inode is `id`.
std::optional<std::string> find_cgroup(const std::string &mount_point, uint64_t id) {
  if (inode_of(mount_point) == id)
    return "/";
  std::error_code error;
  fs::recursive_directory_iterator walk(mount_point, fs::directory_options::skip_permission_denied,
                                        error);
  for (; !error && walk != fs::recursive_directory_iterator(); walk.increment(error)) {
    if (!walk->is_directory(error) || walk->is_symlink(error))
      continue;
    if (inode_of(walk->path()) == id)
      return "/" + fs::relative(walk->path(), mount_point).string();
  }
  return std::nullopt;
}

struct Hierarchy {
  std::string name;        // "unified" for cgroup2, else the mount point's name
  std::string mount_point; // "/sys/fs/cgroup/memory"
};

// The mounted hierarchies in printing order, each once.
std::vector<Hierarchy> hierarchies(const std::string &mounts) {
  std::vector<Hierarchy> unified, v1;
  std::ifstream in(mounts);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string device, mount_point, type;
    fields >> device >> mount_point >> type;
    if (type != "cgroup2" && type != "cgroup")
      continue;
    bool v2 = type == "cgroup2";
    auto &list = v2 ? unified : v1;
    std::string name = v2 ? "unified" : fs::path(mount_point).filename().string();
    // A hierarchy mounted twice is one hierarchy.
    if (std::none_of(list.begin(), list.end(), [&](const Hierarchy &h) { return h.name == name; }))
      list.push_back(Hierarchy{name, mount_point});
  }
  std::sort(v1.begin(), v1.end(),
            [](const Hierarchy &a, const Hierarchy &b) { return a.name < b.name; });
  unified.insert(unified.end(), v1.begin(), v1.end());
  return unified;
}

} // namespace

const std::vector<CgroupPaths::Found> &CgroupPaths::lookup(uint64_t id) {
  if (auto cached = cache_.find(id); cached != cache_.end())
    return cached->second;
  std::vector<Found> found;
  for (const Hierarchy &hierarchy : hierarchies(mounts_)) {
    if (auto path = find_cgroup(hierarchy.mount_point, id))
      found.push_back(Found{hierarchy.name, *path});
  }
  return cache_.emplace(id, std::move(found)).first->second;
}

std::string CgroupPaths::path(uint64_t id, const std::string &filter) {
  std::string joined;
  for (const Found &found : lookup(id)) {
    if (::fnmatch(filter.c_str(), found.hierarchy.c_str(), 0) != 0)
      continue;
    if (!joined.empty())
      joined += ",";
    joined += found.hierarchy + ":" + found.path;
  }
  return joined;
}

} // namespace sonde::symbols
