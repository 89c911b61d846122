#include "system/binary_path.h"

#include "system/ld_cache.h"
#include "system/zip_archive.h"

#include <cstdlib>
#include <glob.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace sonde::system {

namespace {

int target_process = 0;

constexpr const char *kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

bool is_regular_file(const std::string &path) {
  struct stat status {};
  return stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode);
}

std::string find_on_path(const std::string &name) {
  const char *path = std::getenv("PATH");
  std::stringstream dirs(path && *path ? path : kDefaultPath);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (is_regular_file(candidate) && access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return "";
}

// The path as the -p process sees it, when it is absolute and not ours.
std::string in_target_namespace(const std::string &path) {
  if (!target_process || !path.starts_with('/') || is_regular_file(path))
    return "";
  std::string theirs = "/proc/" + std::to_string(target_process) + "/root" + path;
  return is_regular_file(theirs) ? theirs : "";
}

} // namespace

void set_target_process(int pid) { target_process = pid; }

Expected<std::string> resolve_binary(const std::string &target) {
  if (names_archive_member(target)) {
    auto member = find_archive_member(target);
    if (!member)
      return error(member.error());
    return target;
  }
  if (target.find('/') != std::string::npos) {
    if (std::string theirs = in_target_namespace(target); !theirs.empty())
      return theirs;
    if (!is_regular_file(target))
      return error("'" + target + "' does not exist or is not a regular file");
    return target;
  }
  if (std::string program = find_on_path(target); !program.empty())
    return program;
  if (auto library = find_library(target))
    return *library;
  return error("'" + target + "' is neither a program on $PATH nor a library in the ld.so cache");
}

Expected<std::vector<std::string>> match_binaries(const std::string &pattern) {
  if (pattern.find('*') == std::string::npos) {
    auto path = resolve_binary(pattern);
    if (!path)
      return error(path.error());
    return std::vector<std::string>{*path};
  }
  glob_t matches{};
  std::vector<std::string> paths;
  if (glob(pattern.c_str(), 0, nullptr, &matches) == 0)
    for (size_t i = 0; i < matches.gl_pathc; i++)
      if (is_regular_file(matches.gl_pathv[i]))
        paths.emplace_back(matches.gl_pathv[i]);
  globfree(&matches);
  return paths;
}

} // namespace sonde::system
