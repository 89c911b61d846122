#pragma once

// The mappings of a process, as /proc/PID/maps lists them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sonde::system {

// One mapping of a file's code.
struct CodeMapping {
  std::string range;  // "55d0c6a0e000-55d0c6a10000", as /proc/PID/map_files/ names it
  uint64_t start = 0; // [start, end) in the process
  uint64_t end = 0;
  uint64_t offset = 0;  // into the file
  std::string file_id;  // device and inode: "fd:01 1234567"
  std::string path;     // without the " (deleted)" suffix
  bool deleted = false; // the file was deleted since it was mapped
};

// The text of /proc/PID/maps; empty when the process is gone.
std::string read_process_maps(uint64_t pid);

// The executable mappings of files in such a text, in its order.
std::vector<CodeMapping> code_mappings(std::string_view maps);

} // namespace sonde::system
