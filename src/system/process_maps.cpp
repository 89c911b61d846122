#include "system/process_maps.h"

#include <fcntl.h>
#include <sstream>
#include <unistd.h>

namespace sonde::system {

namespace {

constexpr std::string_view kDeleted = " (deleted)";

} // namespace

// With read(2): a process that exits while its maps are read fails the read
// (ESRCH), which libstdc++'s file streams throw from an iterator.
std::string read_process_maps(uint64_t pid) {
  std::string text;
  int fd = open(("/proc/" + std::to_string(pid) + "/maps").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return text;
  char buffer[16384];
  ssize_t got = 0;
  while ((got = read(fd, buffer, sizeof buffer)) > 0)
    text.append(buffer, static_cast<size_t>(got));
  close(fd);
  // Gone part way: no mappings rather than some.
  return got < 0 ? std::string() : text;
}

// A line reads
//   55d0c6a0e000-55d0c6a10000 r-xp 00002000 fd:01 1234567    /usr/bin/cat
std::vector<CodeMapping> code_mappings(std::string_view maps) {
  std::vector<CodeMapping> mappings;
  std::istringstream lines{std::string(maps)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string range, perms, offset, device, inode, path;
    fields >> range >> perms >> offset >> device >> inode;
    std::getline(fields >> std::ws, path);
    size_t dash = range.find('-');
    if (perms.size() < 3 || perms[2] != 'x' || !path.starts_with('/') || dash == std::string::npos)
      continue;
    CodeMapping mapping;
    mapping.deleted = path.ends_with(kDeleted);
    if (mapping.deleted)
      path.resize(path.size() - kDeleted.size());
    mapping.start = std::stoull(range.substr(0, dash), nullptr, 16);
    mapping.end = std::stoull(range.substr(dash + 1), nullptr, 16);
    mapping.offset = std::stoull(offset, nullptr, 16);
    mapping.range = std::move(range);
    mapping.file_id = device + " " + inode;
    mapping.path = std::move(path);
    mappings.push_back(std::move(mapping));
  }
  return mappings;
}

} // namespace sonde::system
